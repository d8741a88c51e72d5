#include "mockca/ca/authority.hpp"

#include <chrono>
#include <ctime>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/pem.h>

#include "common/x509_builder.hpp"
#include "mockca/ca/certificate_facts.hpp"
#include "tests/mockca/ca/csr_builder.hpp"
#include "tests/mockca/ca/test_pki.hpp"

namespace authority_test {

namespace {

using mockca::acme::Identifier;
using mockca::ca::CertificateAuthority;
using mockca::ca::CsrInfo;
using mockca::ca::IssuedCertificate;
using mockca::ca::KeyAlgorithm;
using mockca::ca::testing::MakeKey;
using mockca::ca::testing::SubjectAltNames;
using mockca::ca::testing::VerifyChain;

using Clock = std::chrono::system_clock;

std::unique_ptr<CertificateAuthority> MakeAuthority(KeyAlgorithm algorithm, common::Rng& rng) {
  auto authority = CertificateAuthority::Create(algorithm, rng, Clock::now());
  REQUIRE(authority.ok());
  return std::move(authority).value();
}

CsrInfo MakeCsr(const std::string& key_kind, std::vector<Identifier> identifiers) {
  CsrInfo csr;
  csr.public_key = MakeKey(key_kind);
  csr.identifiers = std::move(identifiers);
  return csr;
}

common::X509Ptr FromDer(const std::vector<std::uint8_t>& der) {
  const unsigned char* in = der.data();
  return common::X509Ptr(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
}

common::X509Ptr FromPem(const std::string& pem) {
  common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return common::X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::time_t TimeOf(const ASN1_TIME* time) {
  std::tm tm{};
  REQUIRE(ASN1_TIME_to_tm(time, &tm) == 1);
  return timegm(&tm);
}

IssuedCertificate IssueFor(const CertificateAuthority& authority, const CsrInfo& csr) {
  const auto now = Clock::now();
  auto issued = authority.Issue(csr, csr.identifiers, now - std::chrono::minutes(1),
                                now + std::chrono::hours(24));
  REQUIRE(issued.ok());
  return std::move(issued).value();
}

TEST_CASE("CertificateAuthority::Create builds a root and an intermediate", "[ca][authority]") {
  common::Rng rng(1);
  const auto algorithm = GENERATE(KeyAlgorithm::kEcdsaP256, KeyAlgorithm::kRsa2048);
  const auto authority = MakeAuthority(algorithm, rng);
  REQUIRE(authority->root() != nullptr);
  REQUIRE(authority->intermediate() != nullptr);
  CHECK(VerifyChain(authority->intermediate(), {}, authority->root(), X509_PURPOSE_ANY) ==
        X509_V_OK);
  // The management API's PEMs are those very certificates.
  const auto root = FromPem(authority->RootPem());
  const auto intermediate = FromPem(authority->IntermediatePem());
  REQUIRE(root);
  REQUIRE(intermediate);
  CHECK(X509_cmp(root.get(), authority->root()) == 0);
  CHECK(X509_cmp(intermediate.get(), authority->intermediate()) == 0);
  CHECK(authority->RootPem().starts_with("-----BEGIN CERTIFICATE-----\n"));
}

TEST_CASE("An issued leaf verifies under the root through the intermediate (S-FIN-08)",
          "[ca][authority]") {
  common::Rng rng(2);
  const auto authority = MakeAuthority(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "example.org"}, {"dns", "www.example.org"}});
  const IssuedCertificate issued = IssueFor(*authority, csr);
  const auto leaf = FromDer(issued.der);
  REQUIRE(leaf);
  CHECK(VerifyChain(leaf.get(), {authority->intermediate()}, authority->root()) == X509_V_OK);
  CHECK(VerifyChain(leaf.get(), {}, authority->root()) != X509_V_OK);  // needs the intermediate
  CHECK(EVP_PKEY_eq(X509_get0_pubkey(leaf.get()), csr.public_key.get()) == 1);
  // Pem is the same leaf, as PEM_write_bio_X509 writes it; chain 0 is the intermediate alone
  // (S-CERT-02: no leaf, no root).
  const auto from_pem = FromPem(common::CertificateDerToPem(issued.der));
  REQUIRE(from_pem);
  CHECK(X509_cmp(from_pem.get(), leaf.get()) == 0);
  CHECK(common::CertificateDerToPem(issued.der) == common::CertificateToPem(leaf.get()));
  CHECK(authority->ChainPem(0) == authority->IntermediatePem());
  // serial_hex is the lowercase hex of the serial.
  std::string upper = issued.serial_hex;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  CHECK(upper == mockca::ca::testing::SerialHex(leaf.get()));
  CHECK(issued.serial_hex.find_first_of("ABCDEF") == std::string::npos);
}

TEST_CASE("The leaf's SANs are exactly the identifiers, ip included (S-FIN-08)",
          "[ca][authority]") {
  common::Rng rng(3);
  const auto authority = MakeAuthority(KeyAlgorithm::kRsa2048, rng);
  const std::vector<Identifier> identifiers = {
      {"dns", "a.example.org"}, {"ip", "192.0.2.7"}, {"ip", "2001:db8::1"}, {"dns", "*.b.example"}};
  const CsrInfo csr = MakeCsr("P-384", identifiers);
  const auto leaf = FromDer(IssueFor(*authority, csr).der);
  REQUIRE(leaf);
  // IssueLeaf writes the dNSNames first, then the iPAddresses, each in the order given.
  const std::vector<Identifier> expected = {
      {"dns", "a.example.org"}, {"dns", "*.b.example"}, {"ip", "192.0.2.7"}, {"ip", "2001:db8::1"}};
  CHECK(SubjectAltNames(leaf.get()) == expected);
  CHECK(mockca::ca::testing::CommonName(leaf.get()).empty());
}

TEST_CASE("Issue promotes the CN only when asked (a profile's promoteCommonName)",
          "[ca][authority][profile]") {
  common::Rng rng(9);
  const auto authority = MakeAuthority(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"ip", "192.0.2.7"}, {"dns", "a.example.org"}});
  const auto now = Clock::now();
  const bool promote = GENERATE(false, true);
  mockca::ca::LeafOptions options;
  options.promote_common_name = promote;
  auto issued = authority->Issue(csr, csr.identifiers, now, now + std::chrono::hours(1), options);
  REQUIRE(issued.ok());
  const auto leaf = FromDer(issued->der);
  REQUIRE(leaf);
  CHECK(mockca::ca::testing::CommonName(leaf.get()) == (promote ? "a.example.org" : ""));
}

TEST_CASE("Issue honours the requested validity", "[ca][authority]") {
  common::Rng rng(4);
  const auto authority = MakeAuthority(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "example.org"}});
  const auto not_before = Clock::time_point(std::chrono::seconds(1'800'000'000));
  const auto not_after = not_before + std::chrono::hours(24 * 7) - std::chrono::seconds(1);
  auto issued = authority->Issue(csr, csr.identifiers, not_before, not_after);
  REQUIRE(issued.ok());
  const auto leaf = FromDer(issued->der);
  REQUIRE(leaf);
  CHECK(TimeOf(X509_get0_notBefore(leaf.get())) == Clock::to_time_t(not_before));
  CHECK(TimeOf(X509_get0_notAfter(leaf.get())) == Clock::to_time_t(not_after));
}

TEST_CASE("Issue fails as serverInternal on an issuer error", "[ca][authority]") {
  common::Rng rng(5);
  const auto authority = MakeAuthority(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "example.org"}});
  const auto now = Clock::now();
  SECTION("notAfter before notBefore") {
    auto issued = authority->Issue(csr, csr.identifiers, now, now - std::chrono::hours(1));
    REQUIRE_FALSE(issued.ok());
    CHECK(issued.error().type == mockca::acme::ProblemType::kServerInternal);
    CHECK(issued.error().status == 500);
  }
  SECTION("no identifiers") {
    auto issued = authority->Issue(csr, {}, now, now + std::chrono::hours(1));
    REQUIRE_FALSE(issued.ok());
    CHECK(issued.error().type == mockca::acme::ProblemType::kServerInternal);
  }
}

TEST_CASE("Serials differ between leaves", "[ca][authority]") {
  common::Rng rng(6);
  const auto authority = MakeAuthority(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "example.org"}});
  std::set<std::string> serials;
  for (int i = 0; i < 20; ++i) {
    serials.insert(IssueFor(*authority, csr).serial_hex);
  }
  CHECK(serials.size() == 20);
}

TEST_CASE("Issue is safe from several threads at once", "[ca][authority]") {
  common::Rng rng(7);
  const auto authority = MakeAuthority(KeyAlgorithm::kEcdsaP256, rng);
  constexpr int kThreads = 4;
  constexpr int kEach = 10;
  std::vector<std::vector<IssuedCertificate>> results(kThreads);
  std::vector<int> failures(kThreads, 0);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const CsrInfo csr = MakeCsr("P-256", {{"dns", "t" + std::to_string(t) + ".example"}});
        const auto now = Clock::now();
        for (int i = 0; i < kEach; ++i) {
          auto issued = authority->Issue(csr, csr.identifiers, now, now + std::chrono::hours(1));
          if (issued.ok()) {
            results[static_cast<std::size_t>(t)].push_back(std::move(issued).value());
          } else {
            ++failures[static_cast<std::size_t>(t)];
          }
        }
      });
    }
  }
  std::set<std::string> serials;
  for (int t = 0; t < kThreads; ++t) {
    CHECK(failures[static_cast<std::size_t>(t)] == 0);
    for (const IssuedCertificate& issued : results[static_cast<std::size_t>(t)]) {
      serials.insert(issued.serial_hex);
      const auto leaf = FromDer(issued.der);
      REQUIRE(leaf);
      CHECK(VerifyChain(leaf.get(), {authority->intermediate()}, authority->root()) == X509_V_OK);
    }
  }
  CHECK(serials.size() == kThreads * kEach);
}

TEST_CASE("InspectCertificate reads serial, names and key of a DER certificate",
          "[ca][authority]") {
  common::Rng rng(8);
  const auto authority = MakeAuthority(KeyAlgorithm::kEcdsaP256, rng);
  const CsrInfo csr = MakeCsr("P-256", {{"dns", "*.example.org"}, {"ip", "192.0.2.1"}});
  const IssuedCertificate issued = IssueFor(*authority, csr);
  const std::string der(issued.der.begin(), issued.der.end());
  auto facts = mockca::ca::InspectCertificate(der);
  REQUIRE(facts.ok());
  CHECK(facts->serial_hex == issued.serial_hex);
  CHECK(facts->identifiers == csr.identifiers);
  CHECK(EVP_PKEY_eq(facts->public_key.get(), csr.public_key.get()) == 1);
  SECTION("trailing bytes, truncation or junk are malformed") {
    const std::string bad =
        GENERATE_COPY(der + "x", der.substr(0, der.size() - 1), std::string("junk"), std::string());
    auto refused = mockca::ca::InspectCertificate(bad);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().type == mockca::acme::ProblemType::kMalformed);
  }
}

}  // namespace

namespace {

TEST_CASE("SerialHex is the DER content octets, sign octet included", "[ca][serial]") {
  const auto [value, expected] = GENERATE(table<unsigned long, std::string>(
      {{0x7f, "7f"}, {0x80, "0080"}, {0x8001, "008001"}, {0x0100, "0100"}}));
  common::X509Ptr cert(X509_new());
  REQUIRE(cert);
  REQUIRE(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), value) == 1);
  CHECK(mockca::ca::SerialHex(cert.get()) == expected);
}

}  // namespace

}  // namespace authority_test
