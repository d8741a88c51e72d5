// B.4 JWS construction (C-JWS-01 .. -05): the shape, header and key of every signed POST.
// C-JWS-06, -07 and -09 (media type, key material, payload fields) are in jws_content_rules.cpp.
#include <set>
#include <string>
#include <vector>

#include "common/ascii.hpp"
#include "mockca/report/rules/jws_content_rules.hpp"
#include "mockca/report/rules/key_support.hpp"
#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// C-JWS-01 (§6.2): flattened JSON, one signature, no unprotected header, no b64:false.
Finding JudgeFlattened(const ClientRecord& client) {
  FindingBuilder result("C-JWS-01", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.method != "POST" || exchange.request_body_truncated) {
      continue;
    }
    result.Checked(exchange.id);
    if (!exchange.jws) {
      result.Fail(Describe(exchange) + ": the body is not a JWS (not a JSON object)",
                  {exchange.id});
      continue;
    }
    const RecordedJws& jws = *exchange.jws;
    std::string what;
    if (jws.has_signatures_array) {
      what = "uses the general serialization (a \"signatures\" array)";
    } else if (!jws.flattened_json) {
      what = "is not a flattened JWS (protected, payload and signature strings)";
    } else if (jws.has_unprotected_header) {
      what = "has an unprotected \"header\"";
    } else if (jws.protected_header.is_object() && jws.protected_header.contains("b64") &&
               jws.protected_header["b64"] == false) {
      what = "sets b64:false";
    }
    if (!what.empty()) {
      result.Fail(Describe(exchange) + ": the JWS " + what, {exchange.id});
    }
  }
  return result.Finish("every POST body is a flattened JWS", "no POST recorded");
}

bool NonEmptyString(const nlohmann::json& header, const char* member) {
  const auto value = StringMember(header, member);
  return value && !value->empty();
}

// C-JWS-02 (§6.2): alg, nonce, url, and exactly one of jwk/kid.
Finding JudgeProtectedHeader(const ClientRecord& client) {
  FindingBuilder result("C-JWS-02", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (!IsSignedPost(exchange) || !exchange.jws->flattened_json) {
      continue;
    }
    result.Checked(exchange.id);
    const nlohmann::json& header = exchange.jws->protected_header;
    if (!header.is_object()) {
      result.Fail(Describe(exchange) + ": the protected header is not base64url JSON",
                  {exchange.id});
      continue;
    }
    std::string missing;
    for (const char* member : {"alg", "nonce", "url"}) {
      if (!NonEmptyString(header, member)) {
        missing += missing.empty() ? member : std::string(", ") + member;
      }
    }
    if (!missing.empty()) {
      result.Fail(Describe(exchange) + ": the protected header lacks " + missing, {exchange.id});
    }
    if (header.contains("jwk") == header.contains("kid")) {
      result.Fail(Describe(exchange) + ": the protected header has " +
                      (header.contains("jwk") ? "both jwk and kid" : "neither jwk nor kid"),
                  {exchange.id});
    }
  }
  return result.Finish("every protected header has alg, nonce, url and one of jwk/kid",
                       "no signed POST recorded");
}

// C-JWS-03 (§6.2): jwk only on newAccount and revokeCert; kid byte-equal to the account URL.
Finding JudgeJwkOrKid(const ClientRecord& client) {
  FindingBuilder result("C-JWS-03", "MUST");
  const std::set<std::string> accounts = AccountUrls(client);
  for (const Exchange& exchange : client.exchanges) {
    if (!IsSignedPost(exchange) || !exchange.jws->protected_header.is_object()) {
      continue;
    }
    const nlohmann::json& header = exchange.jws->protected_header;
    if (header.contains("jwk")) {
      result.Checked(exchange.id);
      if (exchange.kind != "newAccount" && exchange.kind != "revokeCert") {
        result.Fail(Describe(exchange) +
                        " is signed with a jwk; only newAccount and revokeCert "
                        "may be, everything else uses the account kid",
                    {exchange.id});
      }
    }
    if (header.contains("kid") && !accounts.empty()) {
      result.Checked(exchange.id);
      const std::string& kid = exchange.jws->kid;
      if (accounts.count(kid) == 0) {
        result.Fail(Describe(exchange) + ": kid \"" + kid +
                        "\" is not byte-equal to the account URL \"" + *accounts.begin() +
                        "\" newAccount returned",
                    {exchange.id});
      }
    }
  }
  return result.Finish("jwk only where allowed; every kid is the account URL as returned",
                       "no signed POST with a jwk, or with a kid for a known account");
}

// The key that should have signed exchanges[index]: its jwk, or its account's key.
nlohmann::json SigningKey(const ClientRecord& client, std::size_t index) {
  const RecordedJws& jws = *client.exchanges[index].jws;
  if (jws.jwk.is_object()) {
    return jws.jwk;
  }
  return jws.kid.empty() ? nlohmann::json() : AccountKeyBefore(client, index, jws.kid);
}

// One alg check for C-JWS-04; where names the JWS ("the JWS", "the inner JWS").
void CheckAlg(const Exchange& exchange, const std::string& where, const std::string& alg,
              const nlohmann::json& key, FindingBuilder& result) {
  if (alg.empty()) {
    return;  // C-JWS-02
  }
  if (common::EqualsIgnoreCase(alg, "none") || alg.rfind("HS", 0) == 0) {
    result.Fail(Describe(exchange) + ": " + where + " uses alg " + alg +
                    " (no signature or a MAC; an asymmetric alg is required)",
                {exchange.id});
    return;
  }
  if (key.is_object() && AlgFitsKey(alg, key) == false) {
    result.Fail(Describe(exchange) + ": " + where + " alg " + alg + " does not fit the " +
                    StringMember(key, "kty").value_or("?") + " " +
                    StringMember(key, "crv").value_or("") + " key",
                {exchange.id});
  }
}

// C-JWS-04 (§6.2): alg is not none or a MAC, and matches the key.
Finding JudgeAlg(const ClientRecord& client) {
  FindingBuilder result("C-JWS-04", "MUST");
  for (std::size_t i = 0; i < client.exchanges.size(); ++i) {
    const Exchange& exchange = client.exchanges[i];
    if (!IsSignedPost(exchange) || exchange.jws->alg.empty()) {
      continue;
    }
    result.Checked(exchange.id);
    CheckAlg(exchange, "the JWS", exchange.jws->alg, SigningKey(client, i), result);
    if (exchange.kind == "keyChange" && exchange.jws->payload.is_object()) {
      const InnerJws inner = DecodeInnerJws(exchange.jws->payload);
      if (inner.protected_header.is_object()) {
        CheckAlg(exchange, "the inner JWS",
                 StringMember(inner.protected_header, "alg").value_or(""),
                 inner.protected_header.value("jwk", nlohmann::json()), result);
      }
    }
  }
  return result.Finish("every alg is asymmetric and fits its key", "no signed POST recorded");
}

// C-JWS-05 (§6.4): url is exactly the request URL.
Finding JudgeUrl(const ClientRecord& client) {
  FindingBuilder result("C-JWS-05", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (!IsSignedPost(exchange) || exchange.jws->url.empty()) {
      continue;
    }
    result.Checked(exchange.id);
    if (exchange.jws->url != exchange.url) {
      result.Fail(Describe(exchange) + ": JWS url \"" + exchange.jws->url +
                      "\" is not the request URL \"" + exchange.url + "\"",
                  {exchange.id});
    }
  }
  return result.Finish("every JWS url is exactly its request URL", "no signed POST recorded");
}

}  // namespace

std::vector<Rule> JwsRules() {
  return {
      {"C-JWS-01", "MUST",
       "Flattened JSON only: one signature, no unprotected header, no b64:false, payload present.",
       JudgeFlattened},
      {"C-JWS-02", "MUST", "The protected header has alg, nonce, url, and exactly one of jwk/kid.",
       JudgeProtectedHeader},
      {"C-JWS-03", "MUST",
       "jwk only on newAccount and cert-key revocation; kid elsewhere, byte-equal to the Location "
       "returned by newAccount.",
       JudgeJwkOrKid},
      {"C-JWS-04", "MUST", "alg is not none or a MAC, and matches the key.", JudgeAlg},
      {"C-JWS-05", "MUST", "url is exactly the string the server provided and the request target.",
       JudgeUrl},
      {"C-JWS-06", "MUST", "Content-Type: application/jose+json on every POST.", JudgeContentType},
      {"C-JWS-07", "SEC", "The jwk holds public members only.", JudgePublicJwk},
      {"C-JWS-09", "BP",
       "No legacy or server-owned fields in payloads (resource, status in newOrder, "
       "keyAuthorization).",
       JudgeLegacyFields},
  };
}

}  // namespace mockca::report::rules
