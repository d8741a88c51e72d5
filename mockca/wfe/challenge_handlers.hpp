#pragma once

#include <chrono>

#include "common/clock.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/va/validation_service.hpp"
#include "mockca/wfe/jws_auth.hpp"
#include "mockca/wfe/router.hpp"

namespace faults {
class FaultEngine;
}  // namespace faults

namespace mockca::wfe {

struct ChallengePolicy {
  // Pebble: a validated authorization expires one hour after its challenge succeeded.
  std::chrono::seconds valid_authz_lifetime{std::chrono::hours(1)};
  // Retry-After on a challenge response while it is processing (S-CHAL-06; clients such as lego
  // otherwise wait 5 s before polling); 0 sends none.
  std::chrono::seconds processing_retry_after{1};
  // Pebble's -strict: a challenge response whose payload is not an empty JSON object → malformed.
  bool strict = false;
  // State faults (faults::Stage::kState, where "challenge"): a "stuckProcessing" rule shows a
  // valid or invalid challenge as processing to a POST-as-GET (F-FINALIZE-ASYNC's challenge
  // form). Null: none. REQUIRES: outlives the routes.
  faults::FaultEngine* fault_engine = nullptr;
};

// Adds POST (kid) on the challenge URL prefix (paths::kChallenge):
//  - an unknown challenge or another account's → 404 malformed (S-PAG-03: no existence oracle);
//  - POST-as-GET → 200 with the challenge unchanged (RFC 8555 §7.5.1); but while a
//    "stuckProcessing" rule fires for it (Facts: where "challenge", object_id the challenge id,
//    account the account URL, identifiers the authz's value), a valid or invalid challenge reads
//    as processing, without validated or error, with Retry-After (processing_retry_after, or 1);
//  - otherwise the payload must be a JSON object, whose members are ignored (`{}`; S-CHAL-03,
//    errata 5729), and with policy.strict an empty one; the authorization must be pending at
//    clock.Now(), else 400 malformed (S-CHAL-04); a pending challenge moves to processing
//    atomically and a ValidationJob with the key authorization token "." thumbprint (S-CHAL-08)
//    and the account URL goes to validator → 200 with the processing challenge (S-CHAL-03); a
//    processing challenge → 200 unchanged, no second job; a valid or invalid challenge → 400
//    malformed (S-CHAL-05).
// Every 200 carries Link: <authz URL>;rel="up" (S-LINK-02).
// When the job completes (on the validator's thread), success makes the challenge valid
// (validated = now) and the authorization valid with expires = now + valid_authz_lifetime; a
// problem makes the challenge invalid with that error and the authorization invalid (S-AUTHZ-03,
// S-CHAL-07). A result for an authorization that meanwhile stopped being pending (deactivated,
// expired) is dropped.
// REQUIRES: router, store, auth, validator and clock outlive the routes; pending jobs call back
// into store and clock, so the owner destroys validator (draining its jobs) before store and clock.
void AddChallengeRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                        va::ValidationService& validator, const common::Clock& clock,
                        ChallengePolicy policy = {});

}  // namespace mockca::wfe
