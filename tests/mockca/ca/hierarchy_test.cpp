#include "mockca/ca/hierarchy.hpp"

#include <chrono>
#include <ctime>

#include <catch2/catch.hpp>
#include <openssl/x509v3.h>

#include "tests/mockca/ca/test_pki.hpp"

namespace hierarchy_test {

namespace {

using mockca::ca::GenerateHierarchy;
using mockca::ca::KeyAlgorithm;
using mockca::ca::testing::CommonName;
using mockca::ca::testing::ExtensionIsCritical;
using mockca::ca::testing::SerialHex;
using mockca::ca::testing::SerialIsPositive;
using mockca::ca::testing::VerifyChain;

struct AlgorithmCase {
  const char* name;
  KeyAlgorithm algorithm;
  int key_id;
  int key_bits;
};

constexpr AlgorithmCase kAlgorithms[] = {
    {"ECDSA P-256", KeyAlgorithm::kEcdsaP256, EVP_PKEY_EC, 256},
    {"RSA-2048", KeyAlgorithm::kRsa2048, EVP_PKEY_RSA, 2048},
};

bool SameKeyId(X509* subject, X509* issuer) {
  const ASN1_OCTET_STRING* akid = X509_get0_authority_key_id(subject);
  const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(issuer);
  return akid != nullptr && skid != nullptr && ASN1_OCTET_STRING_cmp(akid, skid) == 0;
}

TEST_CASE("GenerateHierarchy builds a root and an intermediate it signed", "[ca][hierarchy]") {
  const auto now = std::chrono::system_clock::now();
  for (const auto& tc : kAlgorithms) {
    DYNAMIC_SECTION(tc.name) {
      common::Rng rng(1);
      auto hierarchy = GenerateHierarchy(tc.algorithm, rng, now, "a1b2c3");
      REQUIRE(hierarchy.ok());
      X509* root = hierarchy->root.get();
      X509* intermediate = hierarchy->intermediate.get();
      CHECK(CommonName(root) == "Anvil mockca Root CA a1b2c3");
      CHECK(CommonName(intermediate) == "Anvil mockca Intermediate CA a1b2c3");
      CHECK(EVP_PKEY_get_base_id(hierarchy->root_key.get()) == tc.key_id);
      CHECK(EVP_PKEY_get_bits(hierarchy->intermediate_key.get()) == tc.key_bits);
      CHECK(X509_check_issued(root, root) == X509_V_OK);
      CHECK(X509_verify(root, hierarchy->root_key.get()) == 1);
      CHECK(X509_check_issued(root, intermediate) == X509_V_OK);
      CHECK(X509_verify(intermediate, hierarchy->root_key.get()) == 1);
      CHECK(SameKeyId(intermediate, root));
      CHECK(X509_check_ca(root) == 1);
      CHECK(X509_check_ca(intermediate) == 1);
      CHECK(ExtensionIsCritical(root, NID_basic_constraints));
      CHECK(ExtensionIsCritical(intermediate, NID_basic_constraints));
      CHECK(X509_get_pathlen(root) == -1);
      CHECK(X509_get_pathlen(intermediate) == 0);
      for (X509* cert : {root, intermediate}) {
        CHECK(X509_get_key_usage(cert) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
        CHECK(SerialIsPositive(cert));
        const std::time_t start = std::chrono::system_clock::to_time_t(now - std::chrono::hours(1));
        CHECK(ASN1_TIME_cmp_time_t(X509_get0_notBefore(cert), start) == 0);
        const std::time_t end = start + 30L * 365 * 24 * 3600;
        CHECK(ASN1_TIME_cmp_time_t(X509_get0_notAfter(cert), end) == 0);
      }
      CHECK(SerialHex(root) != SerialHex(intermediate));
      CHECK(VerifyChain(intermediate, {}, root, X509_PURPOSE_ANY) == X509_V_OK);
    }
  }
}

// Style §5: randomness is injected, so one seed reproduces every serial.
TEST_CASE("GenerateHierarchy draws its serials from the Rng, so a seed reproduces them",
          "[ca][hierarchy]") {
  const auto now = std::chrono::system_clock::now();
  common::Rng first(42);
  common::Rng second(42);
  common::Rng other(43);
  auto a = GenerateHierarchy(KeyAlgorithm::kEcdsaP256, first, now, "x");
  auto b = GenerateHierarchy(KeyAlgorithm::kEcdsaP256, second, now, "x");
  auto c = GenerateHierarchy(KeyAlgorithm::kEcdsaP256, other, now, "x");
  REQUIRE((a.ok() && b.ok() && c.ok()));
  CHECK(SerialHex(a->root.get()) == SerialHex(b->root.get()));
  CHECK(SerialHex(a->intermediate.get()) == SerialHex(b->intermediate.get()));
  CHECK(SerialHex(a->root.get()) != SerialHex(c->root.get()));
}

}  // namespace

}  // namespace hierarchy_test
