// Whole HTTP requests through mockca's ACME router (AcmeFixture: every route, in memory, no
// threads, no network). Byte 0 picks the mode:
//  - even: raw. The rest is "<METHOD> <target>\n<Name>: <value>\n...\n\n<body>", sent unsigned
//    (a Host header replaces the fixture's host; an absolute-form target is applied as the HTTP
//    server does, its authority replacing the host);
//  - odd: signed. Byte 1 picks an endpoint (kEndpoints), byte 2 holds flags (kFill...), and the
//    rest is the JSON payload, which the target signs as a valid flattened ES256 JWS (fresh nonce,
//    the right url, the fixture account's kid or a jwk), so that each endpoint's payload parser
//    runs. With kFill the target completes an object payload with what the fuzzer cannot forge:
//    a valid externalAccountBinding (newAccount), the CSR of the ready order (finalize), the issued
//    certificate (revokeCert), account and oldKey (keyChange, whose payload becomes the inner JWS
//    signed by the new key unless kRawInner), the real certID or its prefix (renewalInfo).
// Oracles: the status is one of kStatuses (500 means a handler threw or failed: a finding); every
// 4xx has Content-Type application/problem+json and a JSON body whose `type` starts with
// urn:ietf:params:acme:error: and whose `status` is the HTTP status; every POST response carries a
// Replay-Nonce (S-NONCE-01); nothing is logged at error level (the router logs what it catches).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "fuzz/acme_fixture.hpp"
#include "fuzz/acme_signer.hpp"
#include "fuzz/fuzz_check.hpp"
#include "http/message.hpp"
#include "mockca/wfe/ari_handlers.hpp"
#include "mockca/wfe/paths.hpp"

namespace {

namespace paths = mockca::wfe::paths;
using fuzz::AcmeFixture;

enum Endpoint : std::uint8_t {
  kNewAccount,
  kNewOrder,
  kFinalize,
  kRevokeCert,
  kKeyChange,
  kAccount,
  kChallenge,
  kAuthz,
  kOrder,
  kOrdersList,
  kCertificate,
  kRenewalInfo,
  kEndpointCount,
};

// Flags (byte 2 of a signed input).
constexpr std::uint8_t kFill = 0x01;
constexpr std::uint8_t kByJwk = 0x02;  // newAccount: the registered key; revokeCert: the cert's
constexpr std::uint8_t kFailValidation = 0x04;
constexpr std::uint8_t kRawInner = 0x08;  // keyChange: the payload is the inner JWS itself

constexpr int kStatuses[] = {200, 201, 204, 400, 401, 403, 404, 405, 409, 415};

// Rebuilt every 256 inputs (objects pile up: orders, accounts, nonces) and after the fixture's
// account was deactivated. Static because libFuzzer calls the entry point once per input and
// building the WFE (a CA hierarchy, a certificate) per input would dominate the run.
struct State {
  std::unique_ptr<AcmeFixture> fixture;
  std::optional<fuzz::SigningKey> fresh_key;  // an unregistered key for newAccount
  unsigned uses = 0;
  bool stale = false;
};

State& TheState() {
  static State state;
  if (state.uses++ % 256 == 0 || state.stale) {
    state.fixture.reset();
    state.fixture = std::make_unique<AcmeFixture>();
    state.stale = false;
  }
  return state;
}

std::string HeaderOf(const http::Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

void CheckResponse(const http::Request& request, const http::Response& response,
                   const AcmeFixture& fixture) {
  if (response.status == 500 || !fixture.Log().empty()) {
    std::fprintf(stderr, "%s %s -> %d\n%s\n%s\n", request.method.c_str(), request.target.c_str(),
                 response.status, response.body.c_str(), fixture.Log().c_str());
  }
  FUZZ_CHECK(fixture.Log().empty());
  FUZZ_CHECK(std::find(std::begin(kStatuses), std::end(kStatuses), response.status) !=
             std::end(kStatuses));
  if (response.status >= 400) {
    FUZZ_CHECK(HeaderOf(response, "Content-Type").starts_with("application/problem+json"));
    const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    FUZZ_CHECK(body.is_object());
    FUZZ_CHECK(body.contains("type") && body["type"].is_string());
    FUZZ_CHECK(body["type"].get<std::string>().starts_with("urn:ietf:params:acme:error:"));
    FUZZ_CHECK(body.contains("status") && body["status"] == response.status);
  }
  if (request.method == "POST") {
    FUZZ_CHECK(!HeaderOf(response, "Replay-Nonce").empty());
  }
}

// "<METHOD> <target>\n<Name>: <value>\n...\n\n<body>"; an absolute-form target is applied.
http::Request RawRequest(std::string_view text) {
  const std::size_t line_end = std::min(text.find('\n'), text.size());
  const std::string_view line = text.substr(0, line_end);
  const std::size_t space = line.find(' ');
  http::Request request = AcmeFixture::MakeRequest(
      std::string(line.substr(0, space)),
      space == std::string_view::npos ? "/" : std::string(line.substr(space + 1)));
  text.remove_prefix(std::min(line_end + 1, text.size()));
  while (!text.empty() && text.front() != '\n') {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view header = text.substr(0, end);
    const std::size_t colon = header.find(':');
    std::string name(header.substr(0, colon));
    std::string value(colon == std::string_view::npos ? "" : header.substr(colon + 1));
    value.erase(0, std::min(value.find_first_not_of(' '), value.size()));
    if (name == "Host") {
      request.host = value;
    } else {
      request.headers.emplace_back(std::move(name), std::move(value));
    }
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  text.remove_prefix(text.empty() ? 0 : 1);
  request.body = std::string(text);
  http::ApplyAbsoluteFormTarget(request);  // as the HTTP server does with every request
  return request;
}

// payload with member set to value when payload is a JSON object; else payload unchanged.
std::string WithMember(std::string_view payload, const std::string& member,
                       const nlohmann::json& value) {
  auto object = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) {
    return std::string(payload);
  }
  object[member] = value;
  return object.dump();
}

void RunSigned(State& state, std::uint8_t endpoint, std::uint8_t flags, std::string_view payload) {
  AcmeFixture& f = *state.fixture;
  f.deferred().validations_succeed = (flags & kFailValidation) == 0;
  const bool fill = (flags & kFill) != 0;
  const std::string base = fuzz::kBase;
  const fuzz::SigningKey* key = &f.account_key();
  bool by_kid = (flags & kByJwk) == 0;
  std::string url;
  std::string body(payload);
  switch (endpoint) {
    case kNewAccount:
      url = base + paths::kNewAccount;
      by_kid = false;
      if ((flags & kByJwk) == 0) {
        if (!state.fresh_key) {
          state.fresh_key = fuzz::SigningKey::Generate();
        }
        key = &*state.fresh_key;
      }
      if (fill) {
        body =
            WithMember(body, "externalAccountBinding",
                       fuzz::MacFlattened(fuzz::kEabMacKey, fuzz::kEabKid, url, key->PublicJwk()));
      }
      break;
    case kNewOrder:
      url = base + paths::kNewOrder;
      break;
    case kFinalize:
      url = f.ready_finalize_url();
      if (fill) {
        body = WithMember(body, "csr", std::string(fuzz::ReadyCsr()));
      }
      break;
    case kRevokeCert:
      url = base + paths::kRevokeCert;
      if (!by_kid) {
        key = &f.certificate_key();
      }
      if (fill) {
        body = WithMember(body, "certificate", f.certificate_der_b64());
      }
      break;
    case kKeyChange:
      url = base + paths::kKeyChange;
      if (fill) {
        body = WithMember(WithMember(body, "account", f.account_url()), "oldKey",
                          f.account_key().PublicJwk());
      }
      if ((flags & kRawInner) == 0) {
        body = fuzz::SignFlattened(f.next_key(), "", url, "", body).dump();
      }
      break;
    case kAccount:
      url = f.account_url();
      break;
    case kChallenge:
      url = f.pending_challenge_url();
      break;
    case kAuthz:
      url = f.pending_authz_url();
      break;
    case kOrder:
      url = f.ready_order_url();
      break;
    case kOrdersList:
      url = f.orders_url();
      break;
    case kCertificate:
      url = f.certificate_url() + (fill ? "/alternate/1" : "");
      break;
    default: {  // kRenewalInfo: unauthenticated GET; the payload is the certID
      std::string target = std::string(mockca::wfe::kRenewalInfoPath) + "/";
      if (fill) {  // the real certID, or its keyIdentifier and '.' before the payload's serial
        target += payload.empty() ? f.cert_id() : f.cert_id().substr(0, f.cert_id().find('.') + 1);
      }
      const http::Request request = AcmeFixture::MakeRequest("GET", target + std::string(payload));
      CheckResponse(request, f.Dispatch(request), f);
      return;
    }
  }

  const http::Response response = f.Post(*key, url, body, by_kid);
  CheckResponse(AcmeFixture::MakeRequest("POST", url.substr(base.size()), body), response, f);

  // Keep the fixture's objects usable for the next input.
  if (response.status == 201 && endpoint == kNewAccount && key == &*state.fresh_key) {
    state.fresh_key.reset();
  }
  if (response.status == 200) {
    switch (endpoint) {
      case kFinalize:
        f.RenewReadyOrder();
        break;
      case kKeyChange:
        f.SwapAccountKeys();
        break;
      case kChallenge:
      case kAuthz:
        if (!payload.empty()) {
          f.RenewPendingAuthz();
        }
        break;
      case kAccount: {
        const auto account = nlohmann::json::parse(response.body, nullptr, false);
        state.stale = !account.is_object() || account.value("status", "") != "valid";
        break;
      }
      default:
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  if (size == 0) {
    return 0;
  }
  std::string_view input(reinterpret_cast<const char*>(data), size);
  State& state = TheState();
  const std::uint8_t mode = static_cast<std::uint8_t>(input[0]);
  input.remove_prefix(1);
  if (mode % 2 == 0) {
    const http::Request request = RawRequest(input);
    CheckResponse(request, state.fixture->Dispatch(request), *state.fixture);
    return 0;
  }
  const std::uint8_t endpoint =
      input.empty() ? 0 : static_cast<std::uint8_t>(input[0]) % kEndpointCount;
  input.remove_prefix(std::min<std::size_t>(1, input.size()));
  const std::uint8_t flags = input.empty() ? 0 : static_cast<std::uint8_t>(input[0]);
  input.remove_prefix(std::min<std::size_t>(1, input.size()));
  RunSigned(state, endpoint, flags, input);
  return 0;
}
