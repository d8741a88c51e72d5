#include "mockca/ca/csr.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/mockca/ca/csr_builder.hpp"

namespace csr_test {

namespace {

using mockca::acme::Identifier;
using mockca::acme::ProblemType;
using mockca::ca::ParseCsr;
using mockca::ca::testing::BuildCsrDer;
using mockca::ca::testing::CsrSpec;
using mockca::ca::testing::MakeKey;

struct ValidCase {
  const char* name;
  const char* key_kind;
  const EVP_MD* digest;
  std::string common_name;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  std::vector<Identifier> expected;
};

// S-FIN-02, S-FIN-03, S-IP-05: accepted CSRs give lowercased DNS names, canonical IP text (RFC
// 5952), each name once, and the CN when it is not already a SAN.
TEST_CASE("ParseCsr accepts valid CSRs and normalizes their names", "[ca][csr]") {
  const ValidCase cases[] = {
      {"ECDSA P-256 with DNS and IP SANs",
       "P-256",
       EVP_sha256(),
       "",
       {"Example.COM", "www.example.com", "example.com"},
       {"192.0.2.1", "2001:DB8:0:0::1"},
       {{"dns", "example.com"},
        {"dns", "www.example.com"},
        {"ip", "192.0.2.1"},
        {"ip", "2001:db8::1"}}},
      {"ECDSA P-384 with SHA-384 and a CN that is also a SAN",
       "P-384",
       EVP_sha384(),
       "EXAMPLE.com",
       {"example.com"},
       {},
       {{"dns", "example.com"}}},
      {"ECDSA P-521 with SHA-512",
       "P-521",
       EVP_sha512(),
       "",
       {"a.example"},
       {},
       {{"dns", "a.example"}}},
      {"RSA-2048 with only a CN",
       "RSA-2048",
       EVP_sha256(),
       "Only.Example.org",
       {},
       {},
       {{"dns", "only.example.org"}}},
      {"RSA-2048 with SHA-512 and a wildcard",
       "RSA-2048",
       EVP_sha512(),
       "",
       {"*.example.com"},
       {},
       {{"dns", "*.example.com"}}},
      {"Ed25519",
       "Ed25519",
       nullptr,
       "",
       {"ed.example"},
       {"::ffff:192.0.2.9"},
       {{"dns", "ed.example"}, {"ip", "::ffff:192.0.2.9"}}},
      {"an IP CN that is also an iPAddress SAN",
       "P-256",
       EVP_sha256(),
       "192.0.2.7",
       {},
       {"192.0.2.7"},
       {{"ip", "192.0.2.7"}}},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto key = MakeKey(tc.key_kind);
      CsrSpec spec;
      spec.key = key.get();
      spec.digest = tc.digest;
      spec.common_name = tc.common_name;
      spec.dns_names = tc.dns_names;
      spec.ip_addresses = tc.ip_addresses;
      const auto info = ParseCsr(BuildCsrDer(spec));
      REQUIRE(info.ok());
      CHECK(info->identifiers == tc.expected);
      CHECK(info->common_name == tc.common_name);
      CHECK_FALSE(info->must_staple);
      REQUIRE(info->public_key != nullptr);
      CHECK(EVP_PKEY_eq(info->public_key.get(), key.get()) == 1);
    }
  }
}

TEST_CASE("ParseCsr reports Must-Staple when the CSR requests the TLS feature", "[ca][csr]") {
  const auto key = MakeKey("P-256");
  CsrSpec spec;
  spec.key = key.get();
  spec.dns_names = {"staple.example"};
  spec.must_staple = true;
  const auto info = ParseCsr(BuildCsrDer(spec));
  REQUIRE(info.ok());
  CHECK(info->must_staple);
}

TEST_CASE("ParseCsr ignores requested extensions other than SAN and the TLS feature", "[ca][csr]") {
  // S-FIN-05 (POL: ignored) and S-FIN-08: nothing else is copied, so nothing else is judged.
  const auto key = MakeKey("P-256");
  CsrSpec spec;
  spec.key = key.get();
  spec.dns_names = {"plain.example"};
  spec.request_ca_extensions = true;
  const auto info = ParseCsr(BuildCsrDer(spec));
  REQUIRE(info.ok());
  CHECK(info->identifiers == std::vector<Identifier>{{"dns", "plain.example"}});
}

}  // namespace

}  // namespace csr_test
