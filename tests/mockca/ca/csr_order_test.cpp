#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mockca/ca/csr.hpp"
#include "tests/mockca/ca/csr_builder.hpp"

namespace csr_order_test {

namespace {

using mockca::acme::Identifier;
using mockca::acme::ProblemType;
using mockca::ca::CheckCsrAgainstOrder;
using mockca::ca::CsrInfo;
using mockca::ca::testing::MakeKey;

struct OrderCase {
  const char* name;
  std::vector<Identifier> csr;
  std::vector<Identifier> order;
  const char* detail;  // nullptr: the CSR matches
  std::vector<Identifier> subproblem_identifiers;
};

// S-FIN-03 (RFC 8555 §7.4): the CSR's identifiers equal the order's as sets; dns compares
// case-insensitively, ip by address (S-IP-05), type matters; a mismatch is badCSR naming each
// missing and extra identifier.
TEST_CASE("CheckCsrAgainstOrder accepts equal identifier sets and names every difference",
          "[ca][csr][order]") {
  const OrderCase cases[] = {
      {"equal sets in another order and case",
       {{"dns", "a.example"}, {"dns", "b.example"}},
       {{"dns", "B.Example"}, {"dns", "a.example"}},
       nullptr,
       {}},
      {"duplicates collapse",
       {{"dns", "a.example"}},
       {{"dns", "a.example"}, {"dns", "A.EXAMPLE"}},
       nullptr,
       {}},
      {"IPv6 compared by address", {{"ip", "2001:db8::1"}}, {{"ip", "2001:DB8:0::1"}}, nullptr, {}},
      {"a name missing from the CSR",
       {{"dns", "a.example"}},
       {{"dns", "a.example"}, {"dns", "b.example"}},
       "missing from the CSR: dns:b.example",
       {{"dns", "b.example"}}},
      {"an extra name in the CSR",
       {{"dns", "a.example"}, {"ip", "192.0.2.1"}},
       {{"dns", "a.example"}},
       "not in the order: ip:192.0.2.1",
       {{"ip", "192.0.2.1"}}},
      {"an IP as dns against an ip identifier (S-IP-05)",
       {{"dns", "192.0.2.1"}},
       {{"ip", "192.0.2.1"}},
       "missing from the CSR: ip:192.0.2.1; not in the order: dns:192.0.2.1",
       {{"ip", "192.0.2.1"}, {"dns", "192.0.2.1"}}},
  };
  const auto csr_key = MakeKey("P-256");
  const auto account_key = MakeKey("P-256");
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      CsrInfo csr;
      csr.identifiers = tc.csr;
      csr.public_key.reset(EVP_PKEY_dup(csr_key.get()));
      const auto status = CheckCsrAgainstOrder(csr, tc.order, account_key.get());
      if (tc.detail == nullptr) {
        CHECK(status.ok());
      } else {
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().type == ProblemType::kBadCsr);
        CHECK(status.error().status == 400);
        CHECK_THAT(status.error().detail, Catch::Matchers::Contains(tc.detail));
        std::vector<Identifier> subproblem_identifiers;
        for (const auto& sub : status.error().subproblems) {
          REQUIRE(sub.identifier.has_value());
          subproblem_identifiers.push_back(*sub.identifier);
        }
        CHECK(subproblem_identifiers == tc.subproblem_identifiers);
      }
    }
  }
}

TEST_CASE("CheckCsrAgainstOrder counts a CN that is not a SAN as a requested name",
          "[ca][csr][order]") {
  const auto key = MakeKey("P-256");
  mockca::ca::testing::CsrSpec spec;
  spec.key = key.get();
  spec.common_name = "cn.example";
  spec.dns_names = {"san.example"};
  const auto csr = mockca::ca::ParseCsr(mockca::ca::testing::BuildCsrDer(spec));
  REQUIRE(csr.ok());
  const auto account_key = MakeKey("P-256");
  const auto short_order =
      CheckCsrAgainstOrder(csr.value(), {{"dns", "san.example"}}, account_key.get());
  REQUIRE_FALSE(short_order.ok());
  CHECK_THAT(short_order.error().detail,
             Catch::Matchers::Contains("not in the order: dns:cn.example"));
  CHECK(CheckCsrAgainstOrder(csr.value(), {{"dns", "san.example"}, {"dns", "cn.example"}},
                             account_key.get())
            .ok());
}

// S-FIN-04 (RFC 8555 §11.1): the certificate key must differ from the account key.
TEST_CASE("CheckCsrAgainstOrder rejects a CSR whose key is the account key", "[ca][csr][order]") {
  const auto key = MakeKey("P-256");
  CsrInfo csr;
  csr.identifiers = {{"dns", "a.example"}};
  csr.public_key.reset(EVP_PKEY_dup(key.get()));
  const auto status = CheckCsrAgainstOrder(csr, {{"dns", "a.example"}}, key.get());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().type == ProblemType::kBadCsr);
  CHECK(status.error().status == 400);
  CHECK_THAT(status.error().detail, Catch::Matchers::Contains("account key"));
  const auto other = MakeKey("P-256");
  CHECK(CheckCsrAgainstOrder(csr, {{"dns", "a.example"}}, other.get()).ok());
}

}  // namespace

}  // namespace csr_order_test
