#pragma once

#include "common/clock.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/wfe/jws_auth.hpp"
#include "mockca/wfe/router.hpp"

namespace mockca::wfe {

// Adds POST on revokeCert (paths.hpp; RFC 8555 §7.6), signed by kid or by jwk (S-REV-01):
//  - payload {certificate: unpadded base64url DER, reason?: integer}; anything else → malformed;
//  - reason 7 or outside 0..10 → badRevocationReason listing the allowed codes (S-REV-03);
//  - a certificate this CA does not hold (by serial, with identical DER) → 404 malformed
//  (S-REV-04);
//  - authorization (S-REV-02): by kid, the ordering account or an account holding a valid,
//    unexpired authorization for every name of the certificate (a wildcard name needs a wildcard
//    authorization; Pebble lacks this path); by jwk, the certificate's own key; else 403
//    unauthorized;
//  - already revoked → 400 alreadyRevoked (S-REV-04); otherwise the certificate is marked revoked
//    (reason, clock.Now()) and the reply is 200 with an empty body.
// REQUIRES: store, auth and clock outlive router.
void AddRevocationRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                         const common::Clock& clock);

}  // namespace mockca::wfe
