#include "mockca/jose/key_thumbprint.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "common/openssl_holders.hpp"
#include "mockca/jose/jwk.hpp"
#include "tests/support/jws_signer.hpp"

namespace key_thumbprint_test {

namespace {

using support::KeyKind;

TEST_CASE("KeyThumbprint equals the RFC 7638 thumbprint of the key's JWK", "[jose][thumbprint]") {
  const auto kind = GENERATE(KeyKind::kRsa2048, KeyKind::kP256, KeyKind::kP384, KeyKind::kP521,
                             KeyKind::kEd25519);
  const support::TestKey& key = support::SharedKey(kind);
  auto jwk = mockca::jose::ParseJwk(key.PublicJwk());
  REQUIRE(jwk.ok());
  CHECK(mockca::jose::KeyThumbprint(key.get()) == mockca::jose::JwkThumbprint(*jwk));
  CHECK(mockca::jose::KeyThumbprint(key.get()) !=
        mockca::jose::KeyThumbprint(
            support::SharedKey(KeyKind::kP256 == kind ? KeyKind::kP384 : KeyKind::kP256).get()));
}

TEST_CASE("KeyThumbprint is empty for a key no JWS can carry", "[jose][thumbprint]") {
  const std::string curve = GENERATE(as<std::string>(), "P-224", "secp256k1");
  common::EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.c_str()));
  REQUIRE(key);
  CHECK(mockca::jose::KeyThumbprint(key.get()).empty());
  CHECK(mockca::jose::KeyThumbprint(nullptr).empty());
}

}  // namespace

}  // namespace key_thumbprint_test
