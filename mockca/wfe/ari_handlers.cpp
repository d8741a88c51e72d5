#include "mockca/wfe/ari_handlers.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/rfc3339.hpp"
#include "mockca/ca/renewal_facts.hpp"
#include "mockca/wfe/ari_cert_id.hpp"

namespace mockca::wfe {
namespace {

using std::chrono::milliseconds;

core::TimePoint TruncateToMillis(core::TimePoint when) {
  return std::chrono::floor<milliseconds>(when);
}

// RFC 3339 UTC with the milliseconds of when, trailing zeros dropped (Go's RFC3339Nano).
std::string FormatMillis(core::TimePoint when) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(when);
  const auto millis = std::chrono::duration_cast<milliseconds>(when - seconds).count();
  std::string text = common::FormatRfc3339(seconds);  // "...:SSZ"
  if (millis == 0) {
    return text;
  }
  std::string fraction = std::to_string(millis);
  fraction.insert(0, 3 - fraction.size(), '0');
  fraction.erase(fraction.find_last_not_of('0') + 1);
  text.insert(text.size() - 1, "." + fraction);
  return text;
}

struct RenewalInfoDeps {
  const store::MemoryStore& store;
  const common::Clock& clock;
  std::vector<std::string> issuer_key_ids;
  RenewalInfoPolicy policy;
};

// The renewalInfo answer for certID text, before Retry-After is added.
http::Response RenewalInfo(const RenewalInfoDeps& deps, const std::string& text) {
  auto cert_id = ParseCertId(text);
  if (!cert_id) {
    return RenderProblem(cert_id.error());
  }
  const auto& keys = deps.issuer_key_ids;
  if (std::find(keys.begin(), keys.end(), cert_id->key_id) == keys.end()) {
    // Pebble: an AKI that is no intermediate's SKID is malformed (400).
    return RenderProblem(acme::Malformed("certID keyIdentifier names no issuer of this CA"));
  }
  const std::string serial = SerialHex(*cert_id);
  const auto certificate = deps.store.GetCertificateBySerial(serial);
  if (!certificate) {
    return RenderProblem(acme::NotFound("no certificate with serial " + serial));
  }
  if (certificate->ari_response) {
    http::Response response{200, {}, *certificate->ari_response};
    response.With("Content-Type", "application/json");
    return response;
  }
  SuggestedWindow window;
  if (certificate->revoked) {
    window = RevokedWindow(deps.clock.Now());
  } else {
    const std::string der(certificate->der.begin(), certificate->der.end());
    auto validity = ca::CertificateValidity(der);
    if (!validity) {
      return RenderProblem(acme::ServerInternal("stored certificate " + serial +
                                                " is unreadable: " + validity.error().detail));
    }
    window = DefaultWindow(validity->not_before, validity->not_after);
  }
  return http::Response::Json(200, RenewalInfoJson(window, deps.policy.explanation_url).dump(2));
}

}  // namespace

SuggestedWindow DefaultWindow(core::TimePoint not_before, core::TimePoint not_after) {
  const auto validity = not_after - not_before;
  const core::TimePoint ideal = not_before + validity * 2 / 3;
  constexpr auto kHalfWidth = std::chrono::hours(24);
  SuggestedWindow window{TruncateToMillis(std::max(ideal - kHalfWidth, not_before)),
                         TruncateToMillis(std::min(ideal + kHalfWidth, not_after))};
  if (window.end <= window.start) {
    window.end = window.start + milliseconds(1);  // S-ARI-03: never end <= start
  }
  return window;
}

SuggestedWindow RevokedWindow(core::TimePoint now) {
  const core::TimePoint start = TruncateToMillis(now - std::chrono::hours(1));
  return {start, start + std::chrono::seconds(1)};
}

nlohmann::json RenewalInfoJson(const SuggestedWindow& window, const std::string& explanation_url) {
  nlohmann::json json = {
      {"suggestedWindow",
       {{"start", FormatMillis(window.start)}, {"end", FormatMillis(window.end)}}}};
  if (!explanation_url.empty()) {
    json["explanationURL"] = explanation_url;
  }
  return json;
}

void AddRenewalInfoRoutes(Router& router, const store::MemoryStore& store,
                          const ca::CertificateAuthority& authority, const common::Clock& clock,
                          RenewalInfoPolicy policy) {
  RenewalInfoDeps deps{store, clock, ca::IssuerKeyIds(authority), std::move(policy)};
  router.Add(
      std::string(kRenewalInfoPath) + "/", {"GET"},
      [deps = std::move(deps)](const RequestContext& context) -> acme::Result<http::Response> {
        http::Response response = RenewalInfo(deps, context.id);
        // S-ARI-04: on every renewalInfo response, errors included.
        response.With("Retry-After", std::to_string(deps.policy.retry_after.count()));
        return response;
      });
}

}  // namespace mockca::wfe
