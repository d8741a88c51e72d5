#pragma once

#include <chrono>
#include <functional>

#include "common/clock.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/core/profile.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/wfe/jws_auth.hpp"
#include "mockca/wfe/router.hpp"

namespace faults {
class FaultEngine;
}  // namespace faults

namespace mockca::wfe {

// Runs a task off the request thread (production: a common::WorkerPool's Post; tests: inline or
// deferred). The task must run at most once; it must not be run after the store, the authority or
// the clock are gone.
using AsyncRunner = std::function<void(std::function<void()>)>;

struct FinalizePolicy {
  // The leaf's validity when the order has neither a notAfter nor a profile: notAfter = notBefore
  // + validity - 1 s (Pebble's default profile: 90 days).
  std::chrono::seconds validity{std::chrono::days(90)};
  // The profiles still offered (the same table as OrderPolicy::profiles). An order's profile gives
  // the validity (instead of `validity`) and whether the CN is promoted (ca::IssueLeaf).
  core::ProfileTable profiles{};
  // The Retry-After of the finalize reply (S-ORD-10); 0 sends none (Pebble's retryAfter.order).
  std::chrono::seconds order_retry_after{1};
  // Pebble's ocspResponderURL: put in every leaf's authorityInfoAccess when not empty.
  std::string ocsp_responder_url{};
  // Issuance faults (faults::Stage::kIssuance; AddFinalizeRoutes). Null: none. REQUIRES: outlives
  // the routes and every task given to run_async.
  faults::FaultEngine* fault_engine = nullptr;
};

// Adds POST on the finalize and certificate URL prefixes (paths.hpp), both signed by kid:
//  - finalize (RFC 8555 §7.4): an unknown order or another account's → 404 malformed (S-PAG-03);
//    the order must be ready at clock.Now(), else 403 orderNotReady naming its status (S-FIN-01);
//    an order whose profile is no longer in policy.profiles → 400 invalidProfile (S-FIN-07; only
//    possible if the profiles change while orders live); the payload is {"csr": unpadded
//    base64url DER} (else malformed, S-FIN-02); ca::ParseCsr and ca::CheckCsrAgainstOrder against
//    the order's identifiers and the account key (badCSR, S-FIN-03, S-FIN-05); a CSR key that is
//    any account's key → badCSR (S-FIN-04). The order then atomically begins processing (a
//    concurrent finalize gets orderNotReady) and the reply is 200 with the order as processing
//    plus Retry-After (S-FIN-06, S-ORD-10), with no Location (Pebble >= 2.9). Issuance runs
//    through run_async: validity [order notBefore or now, order notAfter or notBefore + validity
//    - 1 s], the validity being the order profile's (policy.validity without a profile) and
//    saturated at the clock's maximum; SANs exactly the order's identifiers (S-FIN-08); the CN
//    promoted when the profile says so (ca::IssueLeaf). The certificate is stored and the order
//    becomes valid, or on any failure the order gets a serverInternal error and reads invalid.
//    F-FINALIZE-INVALID: when a "failIssuance" rule fires for the accepted finalize (Facts: where
//    "finalize"), the task issues nothing and the order gets serverInternal "injected issuance
//    failure" instead.
//  - certificate (RFC 8555 §7.4.2, pebble.md §2.8): POST-as-GET only (S-PAG-01) on
//    /certZ/<id> (chain 0) and /certZ/<id>/alternate/<n> (chain n of authority; /alternate/0 is
//    chain 0 too, as in Pebble); only the ordering account may fetch it, anyone else, an unknown id
//    or a malformed path get 404 malformed (S-PAG-03); an index >= authority.ChainCount() → 404
//    malformed (Pebble: a bare 404). 200 application/pem-certificate-chain: the leaf then that
//    chain's intermediates, no root (S-CERT-01/02), with `Link: <url>;rel="alternate"` for every
//    other chain, chain 0's url being the plain /certZ/<id> (S-CERT-03). Faults on the plain URL
//    only (Facts: where "certificate"): "alternateChain" serves chain `chain` there instead of
//    chain 0 when the CA has it (F-ALT-CHAINS; the Links stay those of chain 0), "reorderChain"
//    serves the certificates in reverse order, the leaf last.
// Both fault hooks' Facts: account = the order's account URL, identifiers = the order's values,
// object_id = the order id, method "POST", subject "POST <path>".
// REQUIRES: store, auth, authority and clock outlive router and every task given to run_async.
void AddFinalizeRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                       ca::CertificateAuthority& authority, AsyncRunner run_async,
                       const common::Clock& clock, FinalizePolicy policy = {});

}  // namespace mockca::wfe
