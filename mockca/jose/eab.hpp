#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/jose/jwk.hpp"

namespace mockca::jose {

// An External Account Binding (RFC 8555 §7.3.4) as ParseEab accepted it: a flattened JWS MACed
// with a key the CA handed out, whose payload is the new account's public key.
struct ExternalAccountBinding {
  std::string alg;            // "HS256", "HS384" or "HS512"
  std::string kid;            // non-empty: the CA-issued key identifier
  std::string protected_b64;  // the `protected` member as received
  std::string payload_b64;    // the `payload` member as received
  std::string mac;            // the decoded `signature`, never empty
  std::string payload;        // the decoded payload; CheckEabKey parses it
  nlohmann::json sent;        // the externalAccountBinding value exactly as sent (S-EAB-03)
};

// The MAC key of a kid (raw bytes), or nullopt when the CA does not know the kid.
using MacKeyLookup = std::function<std::optional<std::string>(const std::string& kid)>;

// Steps 1 and 2 of RFC 8555 §7.3.4 (S-EAB-02) on value, the `externalAccountBinding` member of a
// newAccount payload, whose outer JWS had url outer_url. Fails with ProblemType::kMalformed (400)
// when value is not a flattened JWS object (a `signatures` or unprotected `header` member, or a
// `protected`, `payload` or `signature` that is missing, not a string or not unpadded base64url;
// an empty signature), when the protected header is not a JSON object, has `b64` or `crit`, an
// `alg` other than HS256/HS384/HS512 (Pebble since v2.5 answers malformed here: go-jose v4 refuses
// the alg while parsing), a `nonce`, a missing or empty string `kid`, or a `url` that is missing or
// differs from outer_url.
acme::Result<ExternalAccountBinding> ParseEab(const nlohmann::json& value,
                                              std::string_view outer_url);

// Step 4: the MAC over protected_b64 + "." + payload_b64 with mac_key under eab.alg (RFC 7518
// §3.2), compared in constant time. Any non-empty key is accepted whatever its length (S-EAB-04:
// keys of the hash length or longer must work; Pebble takes shorter ones too). Fails with
// ProblemType::kUnauthorized (403) when the MAC does not verify or mac_key is empty.
acme::Status VerifyEabMac(const ExternalAccountBinding& eab, std::string_view mac_key);

// Step 5: the payload is a JWK (ParseJwk) of the same key as outer_key (SameKey). Fails with
// ProblemType::kMalformed when the payload is not JSON or not a JWK ParseJwk accepts, and with
// ProblemType::kBadPublicKey (400, as Pebble) when it is another key.
acme::Status CheckEabKey(const ExternalAccountBinding& eab, const PublicKey& outer_key);

// All of RFC 8555 §7.3.4 in Pebble's order: ParseEab, then the kid through lookup (step 3: an
// unknown kid → ProblemType::kUnauthorized, 403), VerifyEabMac, CheckEabKey. Returns the binding
// when every step passed. REQUIRES: outer_key verified the outer JWS, whose url was outer_url.
acme::Result<ExternalAccountBinding> VerifyEab(const nlohmann::json& value,
                                               std::string_view outer_url,
                                               const PublicKey& outer_key,
                                               const MacKeyLookup& lookup);

}  // namespace mockca::jose
