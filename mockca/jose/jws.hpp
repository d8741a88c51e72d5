#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/jose/jwk.hpp"

namespace mockca::jose {

// The JWS algorithms mockca accepts (S-JWS-06), as listed in the `algorithms` member of a
// badSignatureAlgorithm problem (S-JWS-05): RS256, ES256, ES384, ES512, EdDSA.
std::vector<std::string> SupportedAlgorithms();

// The protected header of an ACME JWS (RFC 8555 §6.2), as ParseJws checked it.
struct ProtectedHeader {
  std::string alg;                    // one of SupportedAlgorithms()
  std::string nonce;                  // non-empty base64url text; not yet checked as issued
  std::string url;                    // non-empty; not yet compared with the request URL
  std::string kid;                    // non-empty iff jwk is absent
  std::optional<nlohmann::json> jwk;  // a JSON object iff kid is empty; not yet parsed
  nlohmann::json raw;                 // the whole header object, for other members
};

// A flattened JWS (RFC 7515 §7.2.2) as ParseJws accepted it.
struct Jws {
  std::string protected_b64;  // the `protected` member as received
  std::string payload_b64;    // the `payload` member as received; empty for POST-as-GET
  std::string signature;      // the decoded `signature`, never empty
  std::string payload;        // the decoded payload; the caller parses it
  ProtectedHeader header;

  // RFC 8555 §6.3: a POST-as-GET request has a zero-length payload.
  bool post_as_get() const { return payload_b64.empty(); }
};

// Parses body, the request body of an ACME POST, as a flattened JWS (RFC 8555 §6.2). Checks
// structure only: no signature, nonce validity or url match. Fails with
//  - ProblemType::kMalformed (400) when body is not a JSON object (a compact serialization
//    included), has a `signatures` (general serialization) or an unprotected `header` member, or
//    lacks `protected`, `payload` (a detached payload) or a non-empty `signature`, or when those
//    are not strings of unpadded base64url (S-JWS-02, S-JWS-03, S-HTTP-04); when the protected
//    header is not a JSON object, has `b64` (RFC 7797) or `crit` (S-JWS-03), lacks a string `alg`
//    or a non-empty string `url` (S-JWS-09), has both or neither of `jwk` and `kid`, a `jwk` that
//    is not an object or a `kid` that is not a non-empty string (S-JWS-04), or a `nonce` that is
//    not a string of base64url (S-NONCE-07);
//  - ProblemType::kBadSignatureAlgorithm (400, with `algorithms`) when `alg` is not one of
//    SupportedAlgorithms(): "none", HS256 and the like (S-JWS-05);
//  - ProblemType::kBadNonce (400) when the header has no `nonce` (RFC 8555 §6.5).
acme::Result<Jws> ParseJws(std::string_view body);

// The key embedded in the `jwk` header, parsed with ParseJwk (so its problems). Fails with
// ProblemType::kMalformed when the header has no `jwk`.
acme::Result<PublicKey> EmbeddedKey(const Jws& jws);

// Verifies jws's signature over protected_b64 + "." + payload_b64 with key (RFC 7515 §5.2):
// RS256 is RSASSA-PKCS1-v1_5 with SHA-256, ES256/384/512 ECDSA over P-256/384/521 with a raw R||S
// signature (RFC 7518 §3.4), EdDSA is Ed25519 (RFC 8037). Fails with
//  - ProblemType::kBadSignatureAlgorithm when the alg is not supported;
//  - ProblemType::kBadPublicKey (400) when the key does not suit the alg (RSA for RS256, the
//    alg's own curve for ES*, Ed25519 for EdDSA) or the JWK's own `alg` differs (S-JWS-07);
//  - ProblemType::kMalformed (400), detail "JWS signature is invalid...", when the signature has
//    the wrong length or does not verify (as Pebble and Boulder answer).
acme::Status VerifySignature(const Jws& jws, const PublicKey& key);

}  // namespace mockca::jose
