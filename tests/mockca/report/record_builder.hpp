#pragma once

// Hand-built client records for the rule tests (conformance.md Part B): a fluent builder of
// exchanges whose nonce and Retry-After ledgers are derived at Build(), as the recorder would.

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>

#include <catch2/catch.hpp>

#include "common/json.hpp"
#include "mockca/report/records.hpp"
#include "mockca/report/rule.hpp"

namespace record_test {

using mockca::report::ClientRecord;
using mockca::report::Exchange;
using mockca::report::Finding;
using mockca::report::Headers;
using mockca::report::RecordedJws;
using mockca::report::TimePoint;
using mockca::report::Verdict;

inline constexpr char kOrigin[] = "https://ca.test";
inline constexpr char kAccount[] = "https://ca.test/my-account/1";
inline const TimePoint kT0 = TimePoint(std::chrono::seconds(1'800'000'000));

// A P-256 public JWK (the coordinates are placeholders: no rule verifies signatures).
inline nlohmann::json EcJwk(std::string x = "x1") {
  return {{"kty", "EC"}, {"crv", "P-256"}, {"x", std::move(x)}, {"y", "y1"}};
}

inline std::string Base64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned int buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3Fu]);
    }
  }
  if (bits > 0) {
    out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3Fu]);
  }
  return out;
}

// Replaces (or, with an empty value, removes) the header name.
inline void SetHeader(Headers& headers, const std::string& name, const std::string& value) {
  Headers kept;
  bool erased = false;
  for (const auto& [key, old_value] : headers) {
    if (key == name && !erased) {
      erased = true;
    } else {
      kept.emplace_back(key, old_value);
    }
  }
  if (!value.empty()) {
    kept.emplace_back(name, value);
  }
  headers = std::move(kept);
}

// Recomputes the JWS's derived fields (alg, nonce, url, kid, jwk, protected_b64) from its
// protected_header, after a test edited it.
inline void Resign(Exchange& exchange) {
  RecordedJws& jws = *exchange.jws;
  const nlohmann::json& header = jws.protected_header;
  const auto text = [&](const char* key) {
    return header.contains(key) && header[key].is_string() ? header[key].get<std::string>()
                                                           : std::string();
  };
  jws.alg = text("alg");
  jws.nonce = text("nonce");
  jws.url = text("url");
  jws.kid = text("kid");
  jws.jwk = header.contains("jwk") ? header["jwk"] : nlohmann::json();
  jws.protected_b64 = Base64Url(header.dump());
}

// Sets (or with null removes) a protected header member, then Resign.
inline void SetProtected(Exchange& exchange, const std::string& key, const nlohmann::json& value) {
  if (value.is_null()) {
    exchange.jws->protected_header.erase(key);
  } else {
    exchange.jws->protected_header[key] = value;
  }
  Resign(exchange);
}

// Replaces the payload (null: POST-as-GET).
inline void SetPayload(Exchange& exchange, const nlohmann::json& payload) {
  exchange.jws->payload = payload;
  exchange.jws->payload_b64 = payload.is_null() ? std::string() : Base64Url(payload.dump());
}

// The response: status, JSON body (not set when null), and a problem type for a problem.
inline Exchange& Respond(Exchange& exchange, int status, const nlohmann::json& body = nullptr) {
  exchange.status = status;
  if (!body.is_null()) {
    exchange.response_body = body.dump();
    SetHeader(exchange.response_headers, "Content-Type", "application/json");
  }
  return exchange;
}

inline Exchange& Problem(Exchange& exchange, int status, const std::string& acme_type) {
  exchange.status = status;
  exchange.problem_type = "urn:ietf:params:acme:error:" + acme_type;
  exchange.response_body =
      nlohmann::json{{"type", exchange.problem_type}, {"detail", "test"}}.dump();
  SetHeader(exchange.response_headers, "Content-Type", "application/problem+json");
  return exchange;
}

class RecordBuilder {
 public:
  // Exchanges arrive one second apart unless Advance says otherwise.
  void Advance(std::chrono::milliseconds by) { now_ += by; }

  Exchange& Get(std::string kind, const std::string& path) {
    return Add("GET", std::move(kind), path);
  }
  Exchange& Head(std::string kind, const std::string& path) {
    return Add("HEAD", std::move(kind), path);
  }

  // A signed POST of payload (null: POST-as-GET) with the newest nonce, the request URL, and
  // kid = kAccount (jwk = EcJwk() for newAccount), answered 200 with a fresh Replay-Nonce.
  Exchange& Post(std::string kind, const std::string& path,
                 const nlohmann::json& payload = nullptr) {
    const std::string nonce = newest_nonce_;  // Add issues this exchange's own
    Exchange& exchange = Add("POST", std::move(kind), path);
    SetHeader(exchange.request_headers, "Content-Type", "application/jose+json");
    exchange.jws.emplace();
    exchange.jws->flattened_json = true;
    exchange.jws->signature_b64 = "c2lnbmF0dXJl";
    nlohmann::json header = {{"alg", "ES256"}, {"nonce", nonce}, {"url", exchange.url}};
    if (exchange.kind == "newAccount") {
      header["jwk"] = EcJwk();
    } else {
      header["kid"] = kAccount;
    }
    exchange.jws->protected_header = header;
    Resign(exchange);
    SetPayload(exchange, payload);
    exchange.request_body = nlohmann::json{{"protected", exchange.jws->protected_b64},
                                           {"payload", exchange.jws->payload_b64},
                                           {"signature", exchange.jws->signature_b64}}
                                .dump();
    return exchange;
  }

  // The record, with the nonce and Retry-After ledgers derived from the exchanges.
  ClientRecord Build() const {
    ClientRecord record;
    record.id = kAccount;
    record.account_url = kAccount;
    record.user_agent = "testclient/1.0";
    record.exchanges.assign(exchanges_.begin(), exchanges_.end());
    for (const Exchange& exchange : record.exchanges) {
      if (exchange.jws && !exchange.jws->nonce.empty()) {
        auto& entry = record.nonces[exchange.jws->nonce];
        entry.nonce = exchange.jws->nonce;
        entry.used_by.push_back(exchange.id);
      }
      const std::string issued = exchange.ResponseHeader("Replay-Nonce");
      if (!issued.empty()) {
        auto& entry = record.nonces[issued];
        entry.nonce = issued;
        entry.issued_by = entry.issued_by == 0 ? exchange.id : entry.issued_by;
      }
    }
    for (const Exchange& exchange : record.exchanges) {
      AddRetryAfter(record, exchange);
    }
    return record;
  }

 private:
  Exchange& Add(std::string method, std::string kind, const std::string& path) {
    Exchange& exchange = exchanges_.emplace_back();
    exchange.id = next_id_++;
    exchange.received = now_;
    now_ += std::chrono::seconds(1);
    exchange.method = std::move(method);
    exchange.kind = std::move(kind);
    exchange.url = std::string(kOrigin) + path;
    exchange.remote = "127.0.0.1:40000";
    exchange.request_headers = {{"User-Agent", "testclient/1.0 (testhttp/2.3)"},
                                {"Accept-Language", "en"}};
    exchange.status = 200;
    if (exchange.method == "POST" || exchange.kind == "newNonce") {
      newest_nonce_ = "nonce" + std::to_string(exchange.id);
      exchange.response_headers.emplace_back("Replay-Nonce", newest_nonce_);
    }
    return exchange;
  }

  static void AddRetryAfter(ClientRecord& record, const Exchange& advertised) {
    const std::string value = advertised.ResponseHeader("Retry-After");
    if (value.empty()) {
      return;
    }
    mockca::report::RetryAfterEntry entry;
    entry.advertised_by = advertised.id;
    const std::string location = advertised.ResponseHeader("Location");
    entry.url = location.empty() ? advertised.url : location;
    entry.value = value;
    entry.not_before = advertised.received + std::chrono::seconds(std::stoi(value));
    for (const Exchange& next : record.exchanges) {
      if (next.id > advertised.id && next.url == entry.url) {
        entry.next_request = next.id;
        entry.next_request_at = next.received;
        break;
      }
    }
    record.retry_after.push_back(std::move(entry));
  }

  std::deque<Exchange> exchanges_;
  std::uint64_t next_id_ = 1;
  TimePoint now_ = kT0;
  std::string newest_nonce_;
};

// The finding of the rule id over record (fails the test when no such rule is registered).
inline Finding JudgeOne(const ClientRecord& record, std::string_view id) {
  for (const mockca::report::Rule& rule : mockca::report::AllRules()) {
    if (rule.id == id) {
      return rule.judge(record);
    }
  }
  return Finding{std::string(id), Verdict::kNotTested, "", "no such rule", {}};
}

// A conforming issuance: directory, newNonce, newAccount, newOrder, authz, challenge {}, authz
// poll, finalize (processing, Retry-After 2), order poll, certificate download. Ids 1..10.
inline RecordBuilder ConformingFlow() {
  RecordBuilder flow;
  Respond(flow.Get("directory", "/dir"), 200,
          {{"newNonce", "https://ca.test/nonce-plz"},
           {"newAccount", "https://ca.test/sign-me-up"},
           {"newOrder", "https://ca.test/order-plz"},
           {"meta", {{"profiles", {{"classic", "The profile"}, {"shortlived", "6 days"}}}}}});
  flow.Head("newNonce", "/nonce-plz");
  Exchange& account =
      flow.Post("newAccount", "/sign-me-up",
                {{"termsOfServiceAgreed", true}, {"contact", {"mailto:admin@example.org"}}});
  Respond(account, 201);
  account.response_headers.emplace_back("Location", kAccount);
  Exchange& order = flow.Post(
      "newOrder", "/order-plz",
      {{"identifiers", {{{"type", "dns"}, {"value", "example.org"}}}}, {"profile", "classic"}});
  Respond(order, 201,
          {{"status", "pending"},
           {"finalize", "https://ca.test/finalize-order/1"},
           {"authorizations", {"https://ca.test/authZ/1"}}});
  order.response_headers.emplace_back("Location", "https://ca.test/my-order/1");
  const nlohmann::json challenge = {
      {"type", "http-01"}, {"url", "https://ca.test/chalZ/1"}, {"token", "t"}};
  Respond(flow.Post("authz", "/authZ/1"), 200,
          {{"status", "pending"}, {"challenges", {challenge}}});
  Respond(flow.Post("challenge", "/chalZ/1", nlohmann::json::object()), 200, challenge);
  Respond(flow.Post("authz", "/authZ/1"), 200, {{"status", "valid"}, {"challenges", {challenge}}});
  const std::string csr = Base64Url(std::string("\x30\x03\x02\x01\x00", 5));
  Exchange& finalize = flow.Post("finalize", "/finalize-order/1", {{"csr", csr}});
  Respond(finalize, 200,
          {{"status", "processing"}, {"finalize", "https://ca.test/finalize-order/1"}});
  finalize.response_headers.emplace_back("Location", "https://ca.test/my-order/1");
  finalize.response_headers.emplace_back("Retry-After", "2");
  flow.Advance(std::chrono::seconds(2));
  Respond(flow.Post("order", "/my-order/1"), 200,
          {{"status", "valid"},
           {"finalize", "https://ca.test/finalize-order/1"},
           {"certificate", "https://ca.test/certZ/1"}});
  flow.Post("certificate", "/certZ/1");
  return flow;
}

}  // namespace record_test

// Catch prints verdicts by name.
template <>
struct Catch::StringMaker<mockca::report::Verdict> {
  static std::string convert(mockca::report::Verdict verdict) {
    return mockca::report::VerdictName(verdict);
  }
};
