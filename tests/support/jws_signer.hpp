#pragma once

// A JWS signer for tests (anchors §9: tests/support holds test keys and a JWS signer). It builds
// its own base64url and JWKs from OpenSSL, independently of mockca/jose, so the tests compare the
// parser against a second implementation.

#include <string>
#include <string_view>

#include "common/json.hpp"
#include "common/openssl_holders.hpp"

namespace support {

enum class KeyKind { kRsa2048, kRsa1024, kP256, kP384, kP521, kEd25519 };

// A freshly generated private key. Movable, not copyable.
class TestKey {
 public:
  // Generates a key of kind; aborts the test run if OpenSSL cannot.
  static TestKey Generate(KeyKind kind);

  // The public JWK with only the required members (RFC 7638 §3.2), unpadded base64url.
  nlohmann::json PublicJwk() const;

  // The natural JWS alg: RS256, ES256, ES384, ES512 or EdDSA.
  std::string DefaultAlg() const;

  // The JWS signature (raw bytes) over input as alg would make it: the digest comes from alg
  // (SHA-256/384/512), the form from the key (R||S of the key's own coordinate size for EC). An
  // alg the key cannot use makes the digest SHA-256.
  std::string Sign(std::string_view alg, std::string_view input) const;

  EVP_PKEY* get() const { return key_.get(); }
  KeyKind kind() const { return kind_; }

 private:
  TestKey(KeyKind kind, common::EvpPkeyPtr key) : kind_(kind), key_(std::move(key)) {}

  KeyKind kind_;
  common::EvpPkeyPtr key_;
};

// One key of each kind per test process (RSA generation is slow).
const TestKey& SharedKey(KeyKind kind);

// Unpadded base64url (RFC 7515 §2).
std::string Base64Url(std::string_view bytes);

// A flattened JWS (RFC 7515 §7.2.2) of payload under header, signed by key with header["alg"]
// (which must be a string): {"protected","payload","signature"}.
nlohmann::json SignFlattened(const TestKey& key, const nlohmann::json& header,
                             std::string_view payload);

// An ACME protected header: alg (the key's default unless given), nonce, url, and jwk (the key's
// public JWK) when kid is empty, else kid.
nlohmann::json AcmeHeader(const TestKey& key, std::string_view url, std::string_view kid = "",
                          std::string_view alg = "");

}  // namespace support
