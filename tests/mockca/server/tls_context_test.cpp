#include "mockca/server/tls_context.hpp"

#include <string>

#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "common/openssl_holders.hpp"
#include "common/x509_builder.hpp"
#include "mockca/server/builtin_tls.hpp"

namespace tls_context_test {

namespace {

using mockca::server::BuiltinTlsCertificatePem;
using mockca::server::BuiltinTlsKeyPem;
using mockca::server::BuiltinTlsRootPem;
using mockca::server::TlsContextFromPem;

std::string EncryptedPem(EVP_PKEY* key) {
  common::BioPtr bio(BIO_new(BIO_s_mem()));
  static char passphrase[] = "secret";
  REQUIRE(PEM_write_bio_PKCS8PrivateKey(bio.get(), key, EVP_aes_128_cbc(), passphrase,
                                        sizeof passphrase - 1, nullptr, nullptr) == 1);
  char* bytes = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &bytes);
  return std::string(bytes, static_cast<std::size_t>(size));
}

std::size_t ChainLength(SSL_CTX* ctx) {
  STACK_OF(X509)* chain = nullptr;
  REQUIRE(SSL_CTX_get0_chain_certs(ctx, &chain) == 1);
  return chain == nullptr ? 0 : static_cast<std::size_t>(sk_X509_num(chain));
}

}  // namespace

TEST_CASE("TlsContextFromPem loads a certificate and its key") {
  const auto context =
      TlsContextFromPem(BuiltinTlsCertificatePem(), BuiltinTlsKeyPem(), "built-in TLS");
  REQUIRE(context.ok());
  SSL_CTX* ctx = context.value()->native_handle();
  CHECK(SSL_CTX_get0_certificate(ctx) != nullptr);
  CHECK(SSL_CTX_check_private_key(ctx) == 1);
  CHECK(ChainLength(ctx) == 0);
}

TEST_CASE("TlsContextFromPem sends further certificates as the chain") {
  const std::string chain =
      std::string(BuiltinTlsCertificatePem()) + std::string(BuiltinTlsRootPem());
  const auto context = TlsContextFromPem(chain, BuiltinTlsKeyPem(), "--tls-cert/--tls-key");
  REQUIRE(context.ok());
  CHECK(ChainLength(context.value()->native_handle()) == 1);
}

TEST_CASE("TlsContextFromPem names what is wrong") {
  const std::string what = "--tls-cert/--tls-key";
  SECTION("no certificate") {
    const auto context = TlsContextFromPem("not PEM", BuiltinTlsKeyPem(), what);
    REQUIRE_FALSE(context.ok());
    CHECK(context.error() == what + ": no PEM certificate");
  }
  SECTION("no key") {
    const auto context = TlsContextFromPem(BuiltinTlsCertificatePem(), "", what);
    REQUIRE_FALSE(context.ok());
    CHECK(context.error() == what + ": no unencrypted PEM private key");
  }
  SECTION("a key of another certificate") {
    const common::EvpPkeyPtr other = common::GenerateP256Key();
    const auto context =
        TlsContextFromPem(BuiltinTlsCertificatePem(), common::PrivateKeyToPem(other.get()), what);
    REQUIRE_FALSE(context.ok());
    CHECK(context.error() == what + ": the private key does not match the certificate");
  }
}

// That no passphrase is asked for shows only on a terminal: tests/e2e/test_mockca_server.py runs
// mockca on a pseudo-terminal for it.
TEST_CASE("TlsContextFromPem refuses an encrypted key") {
  common::BioPtr bio(
      BIO_new_mem_buf(BuiltinTlsKeyPem().data(), static_cast<int>(BuiltinTlsKeyPem().size())));
  const common::EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  REQUIRE(key != nullptr);
  const auto context =
      TlsContextFromPem(BuiltinTlsCertificatePem(), EncryptedPem(key.get()), "--tls-key");
  REQUIRE_FALSE(context.ok());
  CHECK(context.error() == "--tls-key: no unencrypted PEM private key");
}

}  // namespace tls_context_test
