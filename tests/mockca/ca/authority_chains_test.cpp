// Pebble's alternate chains and chain length (pebble.md §1.3, §2.8; S-CERT-02, S-CERT-03) and the
// CA material the management API serves (pebble.md §3).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "mockca/ca/authority.hpp"
#include "mockca/ca/certificate_facts.hpp"
#include "tests/mockca/ca/csr_builder.hpp"
#include "tests/mockca/ca/test_pki.hpp"

namespace authority_chains_test {

namespace {

using mockca::ca::CertificateAuthority;
using mockca::ca::CsrInfo;
using mockca::ca::KeyAlgorithm;
using mockca::ca::testing::CommonName;
using mockca::ca::testing::MakeKey;
using mockca::ca::testing::VerifyChain;

using Clock = std::chrono::system_clock;

std::unique_ptr<CertificateAuthority> MakeAuthority(KeyAlgorithm algorithm, common::Rng& rng,
                                                    std::size_t alternate_roots,
                                                    std::size_t chain_length) {
  auto authority =
      CertificateAuthority::Create(algorithm, rng, Clock::now(), alternate_roots, chain_length);
  REQUIRE(authority.ok());
  return std::move(authority).value();
}

common::X509Ptr IssueLeaf(const CertificateAuthority& authority) {
  CsrInfo csr;
  csr.public_key = MakeKey("P-256");
  csr.identifiers = {{"dns", "chains.example"}};
  const auto now = Clock::now();
  auto issued = authority.Issue(csr, csr.identifiers, now - std::chrono::minutes(1),
                                now + std::chrono::hours(24));
  REQUIRE(issued.ok());
  const unsigned char* in = issued->der.data();
  common::X509Ptr leaf(d2i_X509(nullptr, &in, static_cast<long>(issued->der.size())));
  REQUIRE(leaf);
  return leaf;
}

// Every certificate of a PEM text, in order.
std::vector<common::X509Ptr> ReadAll(const std::string& pem) {
  common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<common::X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  ERR_clear_error();
  return certs;
}

std::vector<X509*> Raw(const std::vector<common::X509Ptr>& certs) {
  std::vector<X509*> raw;
  for (const auto& cert : certs) {
    raw.push_back(cert.get());
  }
  return raw;
}

bool HasSuffixOf6Hex(const std::string& name, const std::string& prefix) {
  return name.size() == prefix.size() + 6 && name.starts_with(prefix) &&
         name.find_first_not_of("0123456789abcdef", prefix.size()) == std::string::npos;
}

TEST_CASE("Create keeps one chain by default (the old call)", "[ca][chains]") {
  common::Rng rng(11);
  auto authority = CertificateAuthority::Create(KeyAlgorithm::kEcdsaP256, rng, Clock::now());
  REQUIRE(authority.ok());
  CHECK(authority.value()->ChainCount() == 1);
  CHECK(authority.value()->intermediates(0).size() == 1);
}

TEST_CASE("Every chain has its own root and the same leaf-issuing intermediate (S-CERT-03)",
          "[ca][chains]") {
  const auto algorithm = GENERATE(KeyAlgorithm::kEcdsaP256, KeyAlgorithm::kRsa2048);
  const int key_id = algorithm == KeyAlgorithm::kRsa2048 ? EVP_PKEY_RSA : EVP_PKEY_EC;
  common::Rng rng(12);
  const auto authority = MakeAuthority(algorithm, rng, 2, 1);
  REQUIRE(authority->ChainCount() == 3);
  const auto leaf = IssueLeaf(*authority);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    X509* root = authority->root(i);
    X509* issuer = authority->intermediate(i);
    CHECK(HasSuffixOf6Hex(CommonName(root), "Anvil mockca Root CA "));
    CHECK(HasSuffixOf6Hex(CommonName(issuer), "Anvil mockca Intermediate CA "));
    CHECK(EVP_PKEY_get_base_id(X509_get0_pubkey(root)) == key_id);
    // The same key, subject and SKID under every root.
    CHECK(X509_NAME_cmp(X509_get_subject_name(issuer),
                        X509_get_subject_name(authority->intermediate(0))) == 0);
    CHECK(EVP_PKEY_eq(X509_get0_pubkey(issuer), X509_get0_pubkey(authority->intermediate(0))) == 1);
    CHECK(ASN1_OCTET_STRING_cmp(X509_get0_subject_key_id(issuer),
                                X509_get0_subject_key_id(authority->intermediate(0))) == 0);
    CHECK(X509_check_issued(root, issuer) == X509_V_OK);
    // The one leaf verifies under every root through that root's chain (X509_verify_cert).
    const auto chain = ReadAll(authority->ChainPem(i));
    REQUIRE(chain.size() == 1);
    CHECK(X509_cmp(chain[0].get(), issuer) == 0);
    CHECK(VerifyChain(leaf.get(), Raw(chain), root) == X509_V_OK);
    for (std::size_t j = 0; j < 3; ++j) {
      if (j != i) {
        CHECK(X509_NAME_cmp(X509_get_subject_name(root),
                            X509_get_subject_name(authority->root(j))) != 0);
        CHECK(VerifyChain(leaf.get(), Raw(chain), authority->root(j)) != X509_V_OK);
      }
    }
  }
}

TEST_CASE("chain_length > 1 puts extra intermediates between root and issuer (PEBBLE_CHAIN_LENGTH)",
          "[ca][chains]") {
  common::Rng rng(13);
  const auto authority = MakeAuthority(KeyAlgorithm::kEcdsaP256, rng, 1, 3);
  const auto leaf = IssueLeaf(*authority);
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(i);
    const auto chain = ReadAll(authority->ChainPem(i));
    REQUIRE(chain.size() == 3);  // S-CERT-02: the intermediates, leaf-issuing first, no root
    CHECK(X509_cmp(chain[0].get(), authority->intermediate(i)) == 0);
    CHECK(HasSuffixOf6Hex(CommonName(chain[1].get()), "Anvil mockca Intermediate CA #1 "));
    CHECK(HasSuffixOf6Hex(CommonName(chain[2].get()), "Anvil mockca Intermediate CA #2 "));
    CHECK(X509_check_issued(chain[1].get(), chain[0].get()) == X509_V_OK);
    CHECK(X509_check_issued(chain[2].get(), chain[1].get()) == X509_V_OK);
    CHECK(X509_check_issued(authority->root(i), chain[2].get()) == X509_V_OK);
    CHECK(X509_get_pathlen(chain[0].get()) == 0);
    CHECK(X509_get_pathlen(chain[2].get()) == 2);
    CHECK(VerifyChain(leaf.get(), Raw(chain), authority->root(i)) == X509_V_OK);
    CHECK(VerifyChain(leaf.get(), {chain[0].get(), chain[2].get()}, authority->root(i)) !=
          X509_V_OK);
  }
  // The extras are per chain; the leaf-issuing key is shared.
  CHECK(EVP_PKEY_eq(X509_get0_pubkey(ReadAll(authority->ChainPem(0))[1].get()),
                    X509_get0_pubkey(ReadAll(authority->ChainPem(1))[1].get())) != 1);
}

TEST_CASE("Key PEMs are traditional: PKCS#1 for RSA, SEC1 for ECDSA (pebble.md §3)",
          "[ca][chains]") {
  struct Case {
    KeyAlgorithm algorithm;
    const char* header;
  };
  const auto tc = GENERATE(Case{KeyAlgorithm::kRsa2048, "-----BEGIN RSA PRIVATE KEY-----\n"},
                           Case{KeyAlgorithm::kEcdsaP256, "-----BEGIN EC PRIVATE KEY-----\n"});
  common::Rng rng(14);
  const auto authority = MakeAuthority(tc.algorithm, rng, 1, 1);
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(i, tc.header);
    for (const auto& [pem, cert] :
         {std::pair{authority->RootKeyPem(i), authority->root(i)},
          std::pair{authority->IntermediateKeyPem(i), authority->intermediate(i)}}) {
      CHECK(pem.starts_with(tc.header));
      common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
      common::EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
      REQUIRE(key);
      CHECK(X509_check_private_key(cert, key.get()) == 1);
    }
  }
  CHECK(authority->IntermediateKeyPem(0) == authority->IntermediateKeyPem(1));
  CHECK(authority->RootKeyPem(0) != authority->RootKeyPem(1));
}

TEST_CASE("CaCertificatePem finds every root and intermediate by serial", "[ca][chains]") {
  common::Rng rng(15);
  const auto authority = MakeAuthority(KeyAlgorithm::kEcdsaP256, rng, 1, 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto root = authority->CaCertificatePem(mockca::ca::SerialHex(authority->root(i)));
    REQUIRE(root.has_value());
    CHECK(*root == authority->RootPem(i));
    for (X509* intermediate : authority->intermediates(i)) {
      const auto pem = authority->CaCertificatePem(mockca::ca::SerialHex(intermediate));
      REQUIRE(pem.has_value());
      CHECK(X509_cmp(ReadAll(*pem).at(0).get(), intermediate) == 0);
    }
  }
  CHECK_FALSE(authority->CaCertificatePem("01").has_value());
  CHECK_FALSE(authority->CaCertificatePem(mockca::ca::SerialHex(IssueLeaf(*authority).get())));
}

}  // namespace

}  // namespace authority_chains_test
