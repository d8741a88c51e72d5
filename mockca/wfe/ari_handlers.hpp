#pragma once

#include <chrono>
#include <string>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/core/status.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/wfe/router.hpp"

namespace mockca::wfe {

// ACME Renewal Information (RFC 9773) as Pebble serves it (pebble.md §2.10).

// The directory's renewalInfo path (S-ARI-01, S-DIR-07). Like Pebble's, it has no trailing slash:
// clients append "/" + certID (RFC 9773 §4.1).
inline constexpr char kRenewalInfoPath[] = "/draft-ietf-acme-ari-03/renewalInfo";

// The directory's "renewalInfo" value under base_url.
inline std::string RenewalInfoUrl(const std::string& base_url) {
  return base_url + kRenewalInfoPath;
}

struct RenewalInfoPolicy {
  // The explanationURL of every computed window (RFC 9773 §4.2); omitted when empty, as Pebble
  // never sends one. Not added to a /set-renewal-info/ override, which is served verbatim.
  std::string explanation_url;
  // The Retry-After of every renewalInfo response (S-ARI-04): Pebble's 6 hours.
  std::chrono::seconds retry_after{21600};
};

// A suggested renewal window (RFC 9773 §4.2). end > start always (S-ARI-03).
struct SuggestedWindow {
  core::TimePoint start;
  core::TimePoint end;
};

// Pebble's window for a certificate valid [not_before, not_after]: the ideal point at 2/3 of the
// validity, 24 h either side, clamped to [not_before, not_after], truncated to milliseconds. When
// that leaves end <= start (a validity under a millisecond), end is start + 1 ms.
SuggestedWindow DefaultWindow(core::TimePoint not_before, core::TimePoint not_after);

// A revoked certificate's window (S-REV-05, S-ARI-06): [now - 1 h, now - 1 h + 1 s], in the past
// so that clients renew at once; truncated to milliseconds.
SuggestedWindow RevokedWindow(core::TimePoint now);

// {"suggestedWindow":{"start","end"}} plus "explanationURL" when it is non-empty. Times are RFC
// 3339 UTC with the milliseconds, trailing zeros dropped, as Go prints them ("...T22:13:20.5Z").
nlohmann::json RenewalInfoJson(const SuggestedWindow& window, const std::string& explanation_url);

// Adds an unauthenticated GET (and so HEAD) on kRenewalInfoPath + "/<certID>" (RFC 9773 §4.1,
// S-ARI-02, C-ARI-02); POST gets the router's 405 with Allow (Pebble: 500 "not implemented").
// Every response, problems included, carries Retry-After: policy.retry_after (S-ARI-04):
//  - a certID ParseCertId refuses → 400 malformed;
//  - a keyIdentifier that is no leaf-issuing intermediate's subjectKeyIdentifier
//    (ca::IssuerKeyIds of authority) → 400 malformed, as Pebble (S-ARI-02 suggests 404);
//  - a serial the store holds no certificate for → 404 malformed;
//  - a certificate with a /set-renewal-info/ override: 200, that string verbatim as
//    application/json (pebble.md §3);
//  - a revoked certificate: 200, RevokedWindow(clock.Now()) (S-ARI-06);
//  - otherwise 200, DefaultWindow of the certificate's validity (S-ARI-03).
// REQUIRES: store and clock outlive router. The issuer key ids are read from authority now.
void AddRenewalInfoRoutes(Router& router, const store::MemoryStore& store,
                          const ca::CertificateAuthority& authority, const common::Clock& clock,
                          RenewalInfoPolicy policy = {});

}  // namespace mockca::wfe
