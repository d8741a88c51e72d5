#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/rng.hpp"
#include "mockca/core/profile.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/wfe/jws_auth.hpp"
#include "mockca/wfe/router.hpp"

namespace faults {
class FaultEngine;
}  // namespace faults

namespace mockca::wfe {

// How newOrder builds orders and how they are served.
struct OrderPolicy {
  std::chrono::seconds order_lifetime{std::chrono::hours(24)};         // Pebble
  std::chrono::seconds pending_authz_lifetime{std::chrono::hours(1)};  // Pebble
  bool reuse_valid_authorizations = true;                              // S-ORD-09
  // PEBBLE_WFE_ORDERS_PER_PAGE default; 0 is taken as 1.
  std::size_t orders_per_page = 3;
  // Retry-After on a processing order (S-ORD-10); 0 = none.
  std::chrono::seconds order_retry_after{1};
  // Retry-After on an authz with a processing challenge (S-AUTHZ-05); 0 = none.
  std::chrono::seconds authz_retry_after{1};
  // PEBBLE_AUTHZREUSE: with reuse_valid_authorizations, the chance in percent that a reusable
  // authorization is reused, drawn per identifier from rng (roll in 0..99 < percent): 0 never, 100
  // always (no draw). REQUIRES: rng is set and outlives the routes when 0 < percent < 100.
  unsigned authz_reuse_percent = 100;
  common::Rng* rng = nullptr;
  // Pebble's domainBlocklist, lowercased: a dns identifier equal to an entry or under it (label
  // suffix: "a.b.example" and "*.b.example" are under "b.example") is refused (S-ORD-02).
  std::vector<std::string> domain_blocklist{};
  // The profiles offered (draft-ietf-acme-profiles). Empty: none, and naming any is invalidProfile.
  core::ProfileTable profiles{};
  // ca::IssuerKeyIds(authority): the keyIdentifiers a `replaces` certID may name (RFC 9773 §5).
  std::vector<std::string> ari_issuer_key_ids{};
  // State faults (faults::Stage::kState): "stuckProcessing" on order reads, "setAuthzStatus" on
  // authz reads (AddOrderRoutes). Null: none. REQUIRES: outlives the routes.
  faults::FaultEngine* fault_engine = nullptr;
};

// Adds POST (kid-signed) on newOrder, the order, orders-list and authorization URL prefixes
// (paths.hpp). Another account's object answers exactly as an unknown one: 404 malformed with the
// same detail (S-PAG-03 POL, no existence oracle; Pebble answers 403).
//  - newOrder: {identifiers, notBefore?, notAfter?, profile?}, other fields ignored (S-ORD-01;
//    `replaces`, RFC 9773, is not read yet). Identifiers
//    per CheckOrderIdentifiers (S-ORD-02, S-ORD-07, S-ORD-08), then policy.domain_blocklist: 400
//    rejectedIdentifier with one subproblem per blocked identifier, carrying it (S-ERR-03; Pebble's
//    "domain name is blocked"); notBefore/notAfter must be RFC 3339 strings with notAfter after
//    notBefore (else malformed) and are echoed as sent. `profile` (null = absent) must be a string
//    (else malformed) naming a profile of policy.profiles, else 400 invalidProfile (S-PROF-02,
//    Pebble >= 2.9); absent, the order gets core::DefaultProfileName (deterministic, where Pebble
//    picks at random), and none when no profile is offered. The order shows it (S-PROF-03).
//    Each identifier reuses a valid
//    authorization of the account when the policy allows and the reuse draw says so (S-ORD-09),
//    else gets a new pending one expiring after pending_authz_lifetime, offering http-01, dns-01
//    and tls-alpn-01 for a name, dns-01 only for a wildcard, http-01 and tls-alpn-01 for an ip
//    (S-CHAL-12). 201 + Location + the order.
//  - order: POST-as-GET only (S-PAG-01/02) → the order with its status derived now (S-ORD-05),
//    and Retry-After while processing (S-ORD-10). F-FINALIZE-ASYNC: while a "stuckProcessing"
//    rule fires for a valid order's read (Facts: where "order", object_id the order id, account
//    the account URL, identifiers the order's values), it reads as processing, without its
//    certificate URL, with Retry-After (order_retry_after, or 1).
//  - orders list (the account's own only): POST-as-GET; `?page=N` (0-based, absent = 0) selects
//    the page; {"orders": [URLs]} without invalid orders (S-ACCT-13), Link rel="next" when another
//    page follows (S-LINK-04). A page number that is not decimal digits, or a page past the end
//    other than the first, → 404 malformed.
//  - authorization: POST-as-GET → the authz (S-AUTHZ-01/02/04), Retry-After while a challenge is
//    processing (S-AUTHZ-05); {"status":"deactivated"} deactivates a pending or valid authz and
//    returns it (S-AUTHZ-06); any other payload, or an authz in another state, → malformed.
//    F-AUTHZ-EXPIRE / F-AUTHZ-REVOKE: when a "setAuthzStatus" rule fires for the POST-as-GET of a
//    valid authz (Facts: where "authz", object_id the authz id, account the account URL,
//    identifiers its value), the store changes it for good before it is shown: "deactivated" →
//    deactivated; "expired" → expires = now (stored valid, so it reads expired); "invalid" →
//    revoked, since RFC 8555 §7.1.6 (and the store) let a valid authz become only deactivated,
//    expired or revoked. Its orders then derive their status from it as usual (S-ORD-05).
// REQUIRES: router, store, auth and clock outlive the routes; auth was built with
// AccountUrl/AccountIdFromUrl.
void AddOrderRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                    const common::Clock& clock, OrderPolicy policy = {});

}  // namespace mockca::wfe
