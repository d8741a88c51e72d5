#include "mockca/wfe/object_json.hpp"

#include "common/rfc3339.hpp"
#include "mockca/wfe/urls.hpp"

namespace mockca::wfe {

using nlohmann::json;

json IdentifierJson(const acme::Identifier& identifier) {
  return {{"type", identifier.type}, {"value", identifier.value}};
}

json ChallengeJson(const core::Challenge& challenge, const std::string& base_url) {
  json out = {{"type", challenge.type},
              {"url", ChallengeUrl(base_url, challenge.id)},
              {"status", core::Name(challenge.status)},
              {"token", challenge.token}};
  if (challenge.validated) {
    out["validated"] = common::FormatRfc3339(*challenge.validated);
  }
  if (challenge.error) {
    out["error"] = acme::ToJson(*challenge.error);
  }
  return out;
}

json AuthorizationJson(const core::Authorization& authz, core::TimePoint now,
                       const std::string& base_url) {
  const core::AuthzStatus status = core::EffectiveStatus(authz, now);
  json challenges = json::array();
  for (const core::Challenge& challenge : authz.challenges) {
    const bool listed = status == core::AuthzStatus::kPending ||
                        challenge.status == core::ChallengeStatus::kValid ||
                        challenge.error != nullptr;
    if (listed) {
      challenges.push_back(ChallengeJson(challenge, base_url));
    }
  }
  json out = {{"identifier", IdentifierJson(authz.identifier)},
              {"status", core::Name(status)},
              {"expires", common::FormatRfc3339(authz.expires)},
              {"challenges", std::move(challenges)}};
  if (authz.wildcard) {
    out["wildcard"] = true;
  }
  return out;
}

json OrderJson(const core::Order& order, core::OrderStatus status, const std::string& base_url) {
  json identifiers = json::array();
  for (const acme::Identifier& identifier : order.identifiers) {
    identifiers.push_back(IdentifierJson(identifier));
  }
  json authorizations = json::array();
  for (const std::string& authz_id : order.authz_ids) {
    authorizations.push_back(AuthzUrl(base_url, authz_id));
  }
  json out = {{"status", core::Name(status)},
              {"expires", common::FormatRfc3339(order.expires)},
              {"identifiers", std::move(identifiers)},
              {"authorizations", std::move(authorizations)},
              {"finalize", FinalizeUrl(base_url, order.id)}};
  if (order.not_before) {
    out["notBefore"] = *order.not_before;
  }
  if (order.not_after) {
    out["notAfter"] = *order.not_after;
  }
  if (!order.profile.empty()) {
    out["profile"] = order.profile;  // S-PROF-03
  }
  if (order.replaces) {
    out["replaces"] = *order.replaces;  // S-ARI-05
  }
  if (status == core::OrderStatus::kValid && !order.certificate_id.empty()) {
    out["certificate"] = CertificateUrl(base_url, order.certificate_id);
  }
  if (order.error) {
    out["error"] = acme::ToJson(*order.error);
  }
  return out;
}

}  // namespace mockca::wfe
