#include "mockca/ca/issuer.hpp"

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "mockca/ca/hierarchy.hpp"
#include "tests/mockca/ca/csr_builder.hpp"
#include "tests/mockca/ca/test_pki.hpp"

namespace issuer_test {

namespace {

using mockca::acme::Identifier;
using mockca::ca::ChainPem;
using mockca::ca::CsrInfo;
using mockca::ca::GenerateHierarchy;
using mockca::ca::Hierarchy;
using mockca::ca::IssueLeaf;
using mockca::ca::KeyAlgorithm;
using mockca::ca::testing::ExtensionIsCritical;
using mockca::ca::testing::HasExtension;
using mockca::ca::testing::MakeKey;
using mockca::ca::testing::SerialHex;
using mockca::ca::testing::SerialIsPositive;
using mockca::ca::testing::SubjectAltNames;
using mockca::ca::testing::VerifyChain;

using Clock = std::chrono::system_clock;

Hierarchy MakeHierarchy(KeyAlgorithm algorithm, common::Rng& rng) {
  auto hierarchy = GenerateHierarchy(algorithm, rng, Clock::now(), "test");
  REQUIRE(hierarchy.ok());
  return std::move(hierarchy).value();
}

CsrInfo MakeCsr(const std::string& key_kind, std::vector<Identifier> identifiers,
                bool must_staple = false) {
  CsrInfo csr;
  csr.public_key = MakeKey(key_kind);
  csr.identifiers = std::move(identifiers);
  csr.must_staple = must_staple;
  return csr;
}

common::X509Ptr Issue(const CsrInfo& csr, const Hierarchy& hierarchy, common::Rng& rng) {
  const auto now = Clock::now();
  auto leaf = IssueLeaf(csr, csr.identifiers, hierarchy.intermediate_key.get(),
                        hierarchy.intermediate.get(), now - std::chrono::minutes(1),
                        now + std::chrono::hours(24 * 90), rng);
  REQUIRE(leaf.ok());
  return std::move(leaf).value();
}

struct LeafCase {
  const char* name;
  KeyAlgorithm hierarchy;
  const char* leaf_key;
  unsigned long key_usage;
};

// S-FIN-08: the leaf carries the CSR key and chains to the root through the intermediate.
TEST_CASE("IssueLeaf issues a server certificate that verifies under the root", "[ca][issuer]") {
  const LeafCase cases[] = {
      {"ECDSA leaf under an ECDSA hierarchy", KeyAlgorithm::kEcdsaP256, "P-256",
       KU_DIGITAL_SIGNATURE},
      {"RSA leaf under an ECDSA hierarchy", KeyAlgorithm::kEcdsaP256, "RSA-2048",
       KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT},
      {"ECDSA P-384 leaf under an RSA hierarchy", KeyAlgorithm::kRsa2048, "P-384",
       KU_DIGITAL_SIGNATURE},
      {"Ed25519 leaf under an RSA hierarchy", KeyAlgorithm::kRsa2048, "Ed25519",
       KU_DIGITAL_SIGNATURE},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      common::Rng rng(5);
      const Hierarchy hierarchy = MakeHierarchy(tc.hierarchy, rng);
      const CsrInfo csr = MakeCsr(tc.leaf_key, {{"dns", "a.example"}, {"ip", "192.0.2.1"}});
      const auto leaf = Issue(csr, hierarchy, rng);
      CHECK(VerifyChain(leaf.get(), {hierarchy.intermediate.get()}, hierarchy.root.get()) ==
            X509_V_OK);
      // Without the intermediate there is no path (the root did not sign the leaf).
      CHECK(VerifyChain(leaf.get(), {}, hierarchy.root.get()) != X509_V_OK);
      CHECK(X509_check_host(leaf.get(), "a.example", 0, 0, nullptr) == 1);
      CHECK(X509_check_ip_asc(leaf.get(), "192.0.2.1", 0) == 1);
      CHECK(EVP_PKEY_eq(X509_get0_pubkey(leaf.get()), csr.public_key.get()) == 1);
      CHECK(X509_get_key_usage(leaf.get()) == tc.key_usage);
      CHECK(X509_get_extended_key_usage(leaf.get()) == XKU_SSL_SERVER);
      CHECK(X509_check_ca(leaf.get()) == 0);
      CHECK(ExtensionIsCritical(leaf.get(), NID_basic_constraints));
      CHECK(ExtensionIsCritical(leaf.get(), NID_key_usage));
      CHECK(HasExtension(leaf.get(), NID_subject_key_identifier));
      CHECK(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(leaf.get()),
                                  X509_get0_subject_key_id(hierarchy.intermediate.get())) == 0);
      CHECK(X509_NAME_cmp(X509_get_issuer_name(leaf.get()),
                          X509_get_subject_name(hierarchy.intermediate.get())) == 0);
    }
  }
}

// S-FIN-08, S-IP-05: SANs are exactly the order's identifiers; no CN (Pebble >= 2.5), so the SAN
// extension is critical (RFC 5280 §4.2.1.6).
TEST_CASE("IssueLeaf puts exactly the order's identifiers in a critical SAN and no CN",
          "[ca][issuer]") {
  common::Rng rng(6);
  const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, rng);
  const std::vector<Identifier> identifiers = {
      {"dns", "b.example"}, {"ip", "2001:db8::7"}, {"dns", "*.c.example"}, {"ip", "192.0.2.9"}};
  CsrInfo csr = MakeCsr("P-256", identifiers);
  csr.common_name = "b.example";
  const auto leaf = Issue(csr, hierarchy, rng);
  const std::vector<Identifier> expected = {
      {"dns", "b.example"}, {"dns", "*.c.example"}, {"ip", "2001:db8::7"}, {"ip", "192.0.2.9"}};
  CHECK(SubjectAltNames(leaf.get()) == expected);
  CHECK(ExtensionIsCritical(leaf.get(), NID_subject_alt_name));
  CHECK(X509_NAME_entry_count(X509_get_subject_name(leaf.get())) == 0);
}

// A profile's promoteCommonName (pebble.md §1.2, §2.8): CN = the first dns identifier, else the
// first ip; the SAN is then no longer critical (RFC 5280 §4.2.1.6).
TEST_CASE("IssueLeaf promotes the first dns name, else the first ip, to the CN when asked",
          "[ca][issuer][profile]") {
  struct Case {
    const char* name;
    std::vector<Identifier> identifiers;
    std::string common_name;
  };
  const std::string long_name = std::string(60, 'a') + ".example";  // 68 > ub-common-name (64)
  const std::vector<Case> cases = {
      {"dns after an ip",
       {{"ip", "192.0.2.9"}, {"dns", "b.example"}, {"dns", "a.example"}},
       "b.example"},
      {"a wildcard, as written", {{"dns", "*.c.example"}, {"dns", "c.example"}}, "*.c.example"},
      {"ip only", {{"ip", "2001:db8::7"}, {"ip", "192.0.2.9"}}, "2001:db8::7"},
      {"too long for a CN: none", {{"dns", long_name}}, ""},
  };
  for (const Case& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      common::Rng rng(16);
      const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, rng);
      const CsrInfo csr = MakeCsr("P-256", tc.identifiers);
      // Backdated: OpenSSL checks against time(), a coarse clock that can lag Clock::now().
      const auto now = Clock::now() - std::chrono::minutes(1);
      mockca::ca::LeafOptions options;
      options.promote_common_name = true;
      auto leaf =
          IssueLeaf(csr, csr.identifiers, hierarchy.intermediate_key.get(),
                    hierarchy.intermediate.get(), now, now + std::chrono::hours(1), rng, options);
      REQUIRE(leaf.ok());
      X509* cert = leaf.value().get();
      CHECK(mockca::ca::testing::CommonName(cert) == tc.common_name);
      CHECK(X509_NAME_entry_count(X509_get_subject_name(cert)) == (tc.common_name.empty() ? 0 : 1));
      CHECK(ExtensionIsCritical(cert, NID_subject_alt_name) == tc.common_name.empty());
      CHECK(SubjectAltNames(cert).size() == tc.identifiers.size());
      CHECK(VerifyChain(cert, {hierarchy.intermediate.get()}, hierarchy.root.get()) == X509_V_OK);
    }
  }
}

TEST_CASE("IssueLeaf draws a positive serial that differs across calls", "[ca][issuer]") {
  common::Rng rng(7);
  const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "a.example"}});
  const auto first = Issue(csr, hierarchy, rng);
  const auto second = Issue(csr, hierarchy, rng);
  CHECK(SerialIsPositive(first.get()));
  CHECK(SerialIsPositive(second.get()));
  CHECK(SerialHex(first.get()).size() == 32);  // 127 bits: 16 octets, top bit clear
  CHECK(SerialHex(first.get()) != SerialHex(second.get()));
}

// Style §5: a seed reproduces every serial.
TEST_CASE("IssueLeaf gives the same serial for the same Rng seed", "[ca][issuer]") {
  common::Rng setup(8);
  const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, setup);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "a.example"}});
  common::Rng first(99);
  common::Rng second(99);
  CHECK(SerialHex(Issue(csr, hierarchy, first).get()) ==
        SerialHex(Issue(csr, hierarchy, second).get()));
}

TEST_CASE("IssueLeaf copies Must-Staple only when the CSR requests it", "[ca][issuer]") {
  common::Rng rng(9);
  const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, rng);
  const auto stapled = Issue(MakeCsr("P-256", {{"dns", "a.example"}}, true), hierarchy, rng);
  const auto plain = Issue(MakeCsr("P-256", {{"dns", "a.example"}}, false), hierarchy, rng);
  REQUIRE(HasExtension(stapled.get(), NID_tlsfeature));
  X509_EXTENSION* extension =
      X509_get_ext(stapled.get(), X509_get_ext_by_NID(stapled.get(), NID_tlsfeature, -1));
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(extension);
  // RFC 7633: SEQUENCE { INTEGER 5 } (status_request).
  const std::string der(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                        static_cast<std::size_t>(ASN1_STRING_length(value)));
  CHECK(der == std::string("\x30\x03\x02\x01\x05", 5));
  CHECK_FALSE(HasExtension(plain.get(), NID_tlsfeature));
}

// Pebble's ocspResponderURL (pebble.md §1): the leaf's AIA names it as the OCSP responder.
TEST_CASE("IssueLeaf puts the configured OCSP responder URL in authorityInfoAccess",
          "[ca][issuer]") {
  common::Rng rng(13);
  const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "a.example"}});
  CHECK_FALSE(HasExtension(Issue(csr, hierarchy, rng).get(), NID_info_access));

  mockca::ca::LeafOptions options;
  options.ocsp_responder_url = "http://127.0.0.1:4002/ocsp?x=1,2";
  const auto now = Clock::now();
  auto leaf =
      IssueLeaf(csr, csr.identifiers, hierarchy.intermediate_key.get(),
                hierarchy.intermediate.get(), now, now + std::chrono::hours(1), rng, options);
  REQUIRE(leaf.ok());
  CHECK_FALSE(ExtensionIsCritical(leaf->get(), NID_info_access));
  common::OpenSslStringStackPtr urls(X509_get1_ocsp(leaf->get()));
  REQUIRE(urls);
  REQUIRE(sk_OPENSSL_STRING_num(urls.get()) == 1);
  CHECK(std::string(sk_OPENSSL_STRING_value(urls.get(), 0)) == options.ocsp_responder_url);
}

TEST_CASE("IssueLeaf sets notBefore and notAfter as given", "[ca][issuer]") {
  common::Rng rng(10);
  const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "a.example"}});
  const auto not_before = Clock::from_time_t(1'800'000'000);
  const auto not_after = Clock::from_time_t(1'800'000'000 + 7 * 24 * 3600 - 1);
  auto leaf = IssueLeaf(csr, csr.identifiers, hierarchy.intermediate_key.get(),
                        hierarchy.intermediate.get(), not_before, not_after, rng);
  REQUIRE(leaf.ok());
  CHECK(ASN1_TIME_cmp_time_t(X509_get0_notBefore(leaf->get()), 1'800'000'000) == 0);
  CHECK(ASN1_TIME_cmp_time_t(X509_get0_notAfter(leaf->get()), 1'800'000'000 + 7 * 24 * 3600 - 1) ==
        0);
}

TEST_CASE("IssueLeaf refuses no identifiers, an unknown type, a bad IP and inverted validity",
          "[ca][issuer]") {
  common::Rng rng(11);
  const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "a.example"}});
  const auto now = Clock::now();
  const auto issue = [&](const std::vector<Identifier>& identifiers, Clock::time_point not_after) {
    return IssueLeaf(csr, identifiers, hierarchy.intermediate_key.get(),
                     hierarchy.intermediate.get(), now, not_after, rng);
  };
  const auto later = now + std::chrono::hours(1);
  CHECK_FALSE(issue({}, later).ok());
  CHECK_FALSE(issue({{"email", "a@example.com"}}, later).ok());
  CHECK_FALSE(issue({{"ip", "192.0.2.300"}}, later).ok());
  CHECK_FALSE(issue({{"dns", "a.example"}}, now - std::chrono::hours(1)).ok());
}

// S-CERT-02 (RFC 8555 §9.1): PEM certificates only, the end-entity first.
TEST_CASE("ChainPem gives the leaf then the intermediates as bare PEM blocks", "[ca][issuer]") {
  common::Rng rng(12);
  const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, rng);
  const auto leaf = Issue(MakeCsr("P-256", {{"dns", "a.example"}}), hierarchy, rng);
  const std::string pem = ChainPem(leaf.get(), {hierarchy.intermediate.get()});
  const std::string begin = "-----BEGIN CERTIFICATE-----\n";
  const std::string end = "-----END CERTIFICATE-----\n";
  CHECK(pem.rfind(begin, 0) == 0);
  CHECK(pem.size() >= end.size());
  CHECK(pem.compare(pem.size() - end.size(), end.size(), end) == 0);
  common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<common::X509Ptr> parsed;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    parsed.emplace_back(cert);
  }
  REQUIRE(parsed.size() == 2);
  CHECK(X509_cmp(parsed[0].get(), leaf.get()) == 0);
  CHECK(X509_cmp(parsed[1].get(), hierarchy.intermediate.get()) == 0);
}

}  // namespace

// S-FIN-08: from a parsed CSR the leaf carries the request's SubjectPublicKeyInfo, copied as
// encoded rather than re-encoded from the key (certificate_fields.hpp); decoded from the DER it is
// the CSR's key, and the chain verifies.
TEST_CASE("IssueLeaf copies the public key info of a parsed CSR", "[ca][issuer]") {
  for (const char* kind : {"P-256", "P-384", "RSA-2048", "Ed25519"}) {
    DYNAMIC_SECTION(kind) {
      common::Rng rng(8);
      const Hierarchy hierarchy = MakeHierarchy(KeyAlgorithm::kEcdsaP256, rng);
      const common::EvpPkeyPtr key = MakeKey(kind);
      mockca::ca::testing::CsrSpec spec;
      spec.key = key.get();
      spec.dns_names = {"a.example"};
      spec.digest = std::string(kind) == "Ed25519" ? nullptr : EVP_sha256();
      auto csr = mockca::ca::ParseCsr(mockca::ca::testing::BuildCsrDer(spec));
      REQUIRE(csr.ok());
      REQUIRE(csr->key_algorithm != nullptr);
      REQUIRE(!csr->key_bits.empty());

      const auto leaf = Issue(*csr, hierarchy, rng);
      unsigned char* der = nullptr;
      const int size = i2d_X509(leaf.get(), &der);
      REQUIRE(size > 0);
      const unsigned char* cursor = der;
      const common::X509Ptr decoded(d2i_X509(nullptr, &cursor, size));
      OPENSSL_free(der);
      REQUIRE(decoded);
      CHECK(EVP_PKEY_eq(X509_get0_pubkey(decoded.get()), key.get()) == 1);
      CHECK(VerifyChain(decoded.get(), {hierarchy.intermediate.get()}, hierarchy.root.get()) ==
            X509_V_OK);
      CHECK(HasExtension(decoded.get(), NID_subject_key_identifier));
      const bool rsa = std::string(kind) == "RSA-2048";
      CHECK(X509_get_key_usage(decoded.get()) ==
            (rsa ? KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT : KU_DIGITAL_SIGNATURE));
    }
  }
}

}  // namespace issuer_test
