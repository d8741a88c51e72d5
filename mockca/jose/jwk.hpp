#pragma once

#include <string>

#include "common/json.hpp"
#include "common/openssl_holders.hpp"
#include "mockca/acme/problem.hpp"

namespace mockca::jose {

// A public key taken from a JWK (RFC 7517), as an ACME account key. Movable, not copyable.
struct PublicKey {
  // The key (owned; never null in a parsed PublicKey).
  common::EvpPkeyPtr key;
  // "RSA", "EC" or "OKP".
  std::string kty;
  // "P-256", "P-384", "P-521" or "Ed25519"; empty for RSA.
  std::string crv;
  // The JWK's own "alg" member (RFC 7517 §4.4), empty when absent. VerifySignature requires it to
  // equal the JWS alg (S-JWS-07).
  std::string alg;
  // The required public members only, exactly as received (RFC 7638 §3.2): {"e","kty","n"},
  // {"crv","kty","x","y"} or {"crv","kty","x"}. dump() gives the RFC 7638 canonical form.
  nlohmann::json jwk;
};

// Parses jwk (the `jwk` header of RFC 8555 §6.2). Accepts
//  - kty "RSA" with n and e: n of 2048..8192 bits, e odd and > 1 (S-JWS-07);
//  - kty "EC" with crv P-256, P-384 or P-521 and x, y each exactly 32, 48 or 66 bytes, forming a
//    valid point on that curve (S-JWS-07);
//  - kty "OKP" with crv Ed25519 and x of 32 bytes (RFC 8037 §2).
// Fails with ProblemType::kMalformed (400) when jwk is not an object, carries a private member
// (d, p, q, dp, dq, qi, oth, k), or when kty, crv, n, e, x, y or alg is missing where required or
// not a string, or a member is not unpadded base64url (S-HTTP-04), or n or e has a leading zero
// octet (RFC 7518 §6.3.1: Base64urlUInt is minimal, and RFC 7638 thumbprints depend on it).
// Fails with ProblemType::kBadPublicKey (400) for an unknown kty or crv, a wrong coordinate length,
// a point off the curve, or an RSA key outside the limits above.
acme::Result<PublicKey> ParseJwk(const nlohmann::json& jwk);

// The RFC 7638 thumbprint: base64url(SHA-256(canonical JSON of the required members, in
// lexicographic order, without whitespace)), as used in key authorizations (RFC 8555 §8.1).
std::string JwkThumbprint(const PublicKey& key);
// The same of a JWK that holds the required members only (as PublicKey::jwk does).
std::string JwkThumbprint(const nlohmann::json& required_members);

// Whether a and b are the same public key (EVP_PKEY_eq), whatever their JWK spelling.
bool SameKey(const PublicKey& a, const PublicKey& b);

}  // namespace mockca::jose
