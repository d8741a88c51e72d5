#include "mockca/wfe/revocation_handlers.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/json.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/ca/certificate_facts.hpp"
#include "mockca/jose/jwk.hpp"
#include "mockca/jose/key_thumbprint.hpp"
#include "mockca/wfe/paths.hpp"

namespace mockca::wfe {
namespace {

using nlohmann::json;

constexpr std::string_view kWildcardPrefix = "*.";

// The revokeCert payload (S-REV-01).
struct RevocationRequest {
  std::string der;
  int reason = 0;  // RFC 5280 §5.3.1 unspecified when absent
};

// S-REV-03: RFC 5280 §5.3.1 CRLReason codes; 7 is unassigned.
acme::Result<int> ParseReason(const json& payload) {
  const auto it = payload.find("reason");
  if (it == payload.end()) {
    return 0;
  }
  if (!it->is_number_integer()) {
    return acme::Malformed("\"reason\" must be an integer");
  }
  const bool in_range = it->is_number_unsigned() && it->get<std::uint64_t>() <= 10;
  if (!in_range || it->get<std::uint64_t>() == 7) {
    return acme::MakeProblem(
        acme::ProblemType::kBadRevocationReason,
        "reason " + it->dump() + " is not allowed; allowed reasons: 0, 1, 2, 3, 4, 5, 6, 8, 9, 10");
  }
  return static_cast<int>(it->get<std::uint64_t>());
}

acme::Result<RevocationRequest> ParseRequest(const AuthenticatedPost& post) {
  auto payload = DecodePayload(post);
  if (!payload) {
    return payload.error();
  }
  auto der = Base64UrlMember(*payload, "certificate");
  if (!der) {
    return der.error();
  }
  auto reason = ParseReason(*payload);
  if (!reason) {
    return reason.error();
  }
  return RevocationRequest{std::move(der).value(), *reason};
}

// S-REV-02's second path: account_id holds a valid unexpired authorization for every name.
bool HoldsAuthorizations(const store::MemoryStore& store, const std::string& account_id,
                         const std::vector<acme::Identifier>& names, core::TimePoint now) {
  if (names.empty()) {
    return false;
  }
  for (const acme::Identifier& name : names) {
    const bool wildcard = name.type == "dns" && name.value.starts_with(kWildcardPrefix);
    acme::Identifier base = name;
    if (wildcard) {
      base.value = name.value.substr(kWildcardPrefix.size());
    }
    // A wildcard name needs a wildcard authorization; a plain name is covered by either kind, both
    // of which prove control of it.
    const bool covered =
        store.FindReusableAuthorization(account_id, base, true, now) ||
        (!wildcard && store.FindReusableAuthorization(account_id, base, false, now));
    if (!covered) {
      return false;
    }
  }
  return true;
}

acme::Status CheckRequester(const AuthenticatedPost& post, const core::Certificate& certificate,
                            const ca::CertificateFacts& facts, const store::MemoryStore& store,
                            core::TimePoint now) {
  if (post.account) {
    if (post.account->id == certificate.account_id ||
        HoldsAuthorizations(store, post.account->id, facts.identifiers, now)) {
      return {};
    }
    return acme::Unauthorized(
        "this account neither ordered the certificate nor holds valid authorizations for all of "
        "its names");
  }
  const std::string key = jose::KeyThumbprint(facts.public_key.get());
  if (!key.empty() && key == jose::JwkThumbprint(post.key)) {
    return {};
  }
  return acme::Unauthorized("the JWS key is not the certificate's public key");
}

acme::Result<http::Response> RevokeCert(const RequestContext& context, store::MemoryStore& store,
                                        const JwsAuthenticator& auth, const common::Clock& clock) {
  auto post = auth.VerifyPost(context, KeyStyle::kJwkOrKid);
  if (!post) {
    return post.error();
  }
  auto request = ParseRequest(*post);
  if (!request) {
    return request.error();
  }
  auto facts = ca::InspectCertificate(request->der);
  if (!facts) {
    return facts.error();
  }
  const auto certificate = store.GetCertificateBySerial(facts->serial_hex);
  if (!certificate || std::string_view(reinterpret_cast<const char*>(certificate->der.data()),
                                       certificate->der.size()) != request->der) {
    return acme::NotFound("this CA did not issue the certificate");  // S-REV-04
  }
  const core::TimePoint now = clock.Now();
  if (acme::Status allowed = CheckRequester(*post, *certificate, *facts, store, now); !allowed) {
    return allowed.error();  // S-REV-02
  }
  const int reason = request->reason;
  auto revoked = store.UpdateCertificate(certificate->id, [reason, now](core::Certificate& stored) {
    if (stored.revoked) {
      return acme::Status(
          acme::MakeProblem(acme::ProblemType::kAlreadyRevoked, "the certificate is revoked"));
    }
    stored.revoked = core::Revocation{reason, now};
    return acme::Status();
  });
  if (!revoked) {
    return revoked.error();  // S-REV-04
  }
  return http::Response{};  // 200, empty body
}

}  // namespace

void AddRevocationRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                         const common::Clock& clock) {
  router.Add(paths::kRevokeCert, {"POST"}, [&store, &auth, &clock](const RequestContext& context) {
    return RevokeCert(context, store, auth, clock);
  });
}

}  // namespace mockca::wfe
