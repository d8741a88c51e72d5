#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "common/json.hpp"
#include "mockca/report/records.hpp"

// Account keys and nested JWSs as the records show them (RFC 8555 §7.3, §7.3.5).
namespace mockca::report::rules {

// A flattened JWS inside a payload (the keyChange inner JWS), decoded as far as it decodes.
struct InnerJws {
  bool flattened = false;           // protected, payload and signature are all strings
  nlohmann::json protected_header;  // null when it does not decode
  nlohmann::json payload;           // null when it does not decode
};
InnerJws DecodeInnerJws(const nlohmann::json& object);

// The RFC 7638 required members of jwk ({"e","kty","n"}, {"crv","kty","x","y"} or
// {"crv","kty","x"}); null for an unknown kty. Two JWKs with equal required members have equal
// thumbprints, so comparing these compares thumbprints without hashing.
nlohmann::json RequiredMembers(const nlohmann::json& jwk);
bool SameKey(const nlohmann::json& a, const nlohmann::json& b);

// Whether alg fits the key (RSA → RS*/PS*, EC P-256 → ES256, P-384 → ES384, P-521 → ES512,
// OKP Ed25519/Ed448 → EdDSA); nullopt when the key type is unknown.
std::optional<bool> AlgFitsKey(const std::string& alg, const nlohmann::json& jwk);

// The public key of the account `kid` as the client last set it before exchanges[index]: the jwk
// of the successful newAccount that returned Location == kid, replaced by the inner jwk of each
// later keyChange answered 200. null when the records do not show it.
nlohmann::json AccountKeyBefore(const ClientRecord& client, std::size_t index,
                                const std::string& kid);

}  // namespace mockca::report::rules
