#pragma once

#include <optional>

#include "common/json.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/jose/eab.hpp"
#include "mockca/wfe/eab_keys.hpp"
#include "mockca/wfe/jws_auth.hpp"

namespace mockca::wfe {

// newAccount's External Account Binding step (RFC 8555 §7.3.4), run after the existing-account,
// onlyReturnExisting and ToS checks and before the contacts, in Pebble's order.
//  - payload has no `externalAccountBinding` (or null, as Go's decoding reads it): required →
//    403 externalAccountRequired (S-EAB-01); otherwise nullopt.
//  - keys is nullptr (the CA does not support EAB) and it is not required: the member is ignored
//    and nullopt returned, so it is never echoed (S-EAB-03: an unverified binding MUST NOT be).
//  - otherwise jose::VerifyEab with outer = post (S-EAB-02) and its problems; this runs even when
//    EAB is not required, as Pebble verifies any binding it is sent. keys == nullptr while required
//    counts as no known kid (403 unauthorized).
// Returns the verified binding, to store on the account and echo.
acme::Result<std::optional<jose::ExternalAccountBinding>> CheckAccountBinding(
    const nlohmann::json& payload, const AuthenticatedPost& post, bool required, EabKeys* keys);

// S-EAB-05 (a policy Pebble lacks): with one_account_per_key, claims the kid of binding in keys
// and fails with 403 unauthorized when it already bound an account. Call it last, just before the
// account is stored, so that a request refused for another reason does not use up the kid. No-op
// without a binding or without the policy. REQUIRES: keys is non-null when binding is set.
acme::Status ClaimAccountBinding(const std::optional<jose::ExternalAccountBinding>& binding,
                                 EabKeys* keys, bool one_account_per_key);

}  // namespace mockca::wfe
