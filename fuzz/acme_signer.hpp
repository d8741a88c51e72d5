#pragma once

// Keys and JWS signing for the acme_router fuzz target: flattened ES256 JWS (RFC 7515 §7.2.2) and
// HS256 External Account Bindings (RFC 8555 §7.3.4), built with OpenSSL directly so that the target
// signs without tests/support (which needs ANVIL_BUILD_TESTS).

#include <string>
#include <string_view>

#include "common/json.hpp"
#include "common/openssl_holders.hpp"

namespace fuzz {

// A P-256 key. Movable, not copyable.
class SigningKey {
 public:
  // The key in pem (PKCS#8); aborts when it does not parse (a broken build, not an input).
  static SigningKey FromPem(std::string_view pem);
  // A freshly generated key.
  static SigningKey Generate();

  // {"crv","kty","x","y"}: the public JWK with only the required members.
  nlohmann::json PublicJwk() const;
  // The raw R||S ES256 signature over input.
  std::string Sign(std::string_view input) const;

 private:
  explicit SigningKey(common::EvpPkeyPtr key) : key_(std::move(key)) {}
  common::EvpPkeyPtr key_;
};

// The fixed keys of the target (generated once with `openssl genpkey`): the account's, the one a
// keyChange rolls to (the two alternate), and the key of the CSR the target finalizes with, so the
// issued certificate's key can sign a revokeCert by jwk.
std::string_view AccountKeyPem();
std::string_view RolloverKeyPem();
std::string_view CertificateKeyPem();
// The finalize CSR (base64url DER, CN and SAN "ready.fuzz.example", CertificateKeyPem's key).
std::string_view ReadyCsr();

// A flattened JWS of payload: {"alg":"ES256","nonce","url"} plus "kid" when kid is non-empty, else
// "jwk" (the key's public JWK). An empty nonce leaves it out (the inner JWS of a keyChange).
nlohmann::json SignFlattened(const SigningKey& key, std::string_view nonce, std::string_view url,
                             std::string_view kid, std::string_view payload);

// An externalAccountBinding: {"alg":"HS256","kid","url"} over account_jwk, MACed with mac_key.
nlohmann::json MacFlattened(std::string_view mac_key, std::string_view kid, std::string_view url,
                            const nlohmann::json& account_jwk);

}  // namespace fuzz
