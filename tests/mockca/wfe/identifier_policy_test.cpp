#include "mockca/wfe/identifier_policy.hpp"

#include <string>

#include <catch2/catch.hpp>

namespace identifier_policy_test {

namespace {

using mockca::acme::ProblemType;
using mockca::wfe::CheckIdentifier;
using mockca::wfe::CheckOrderIdentifiers;
using nlohmann::json;

json Dns(const std::string& value) {
  return {{"type", "dns"}, {"value", value}};
}
json Ip(const std::string& value) {
  return {{"type", "ip"}, {"value", value}};
}

TEST_CASE("dns identifiers are lowercased, wildcards keep *. in the order (S-ORD-07, S-ORD-08)",
          "[identifier_policy]") {
  const auto plain = CheckIdentifier(Dns("WWW.Example.ORG"));
  REQUIRE(plain.ok());
  CHECK(plain->identifier == mockca::acme::Identifier{"dns", "www.example.org"});
  CHECK_FALSE(plain->wildcard);
  CHECK(mockca::wfe::AuthzIdentifier(*plain).value == "www.example.org");

  const auto wildcard = CheckIdentifier(Dns("*.Example.org"));
  REQUIRE(wildcard.ok());
  CHECK(wildcard->identifier.value == "*.example.org");
  CHECK(wildcard->wildcard);
  // S-AUTHZ-02: the authorization covers the name without '*'.
  CHECK(mockca::wfe::AuthzIdentifier(*wildcard) == mockca::acme::Identifier{"dns", "example.org"});
}

TEST_CASE("dns names that are fine (S-ORD-08)", "[identifier_policy]") {
  const std::string name = GENERATE(std::string("a"), std::string("xn--bcher-kva.example"),
                                    std::string("a-b.c-d.example"), std::string("1.2.3.example"),
                                    std::string(63, 'a') + ".example",
                                    std::string("*.") + std::string(63, 'b') + ".example");
  const auto checked = CheckIdentifier(Dns(name));
  CHECK(checked.ok());
}

TEST_CASE("malformed dns names (S-ORD-07, S-ORD-08)", "[identifier_policy]") {
  std::string long_name;
  while (long_name.size() < 254) {
    long_name += "abcdefghi.";
  }
  long_name = long_name.substr(0, 250) + ".org";  // 254 characters
  const std::string name = GENERATE_COPY(
      std::string(""), std::string("example.org."), std::string("a..example.org"),
      std::string(".example.org"), std::string("*"), std::string("*."), std::string("a.*.org"),
      std::string("*.*.org"), std::string("**.org"), std::string("*example.org"),
      std::string("ex_ample.org"), std::string("ex ample.org"),
      std::string("b\xc3\xbc"
                  "cher.de"),
      std::string(64, 'a') + ".org", long_name, std::string("-a.org"), std::string("a-.org"),
      std::string("ab--c.org"), std::string("xn--.org"), std::string("2001:db8::1.org"));
  CAPTURE(name);
  const auto checked = CheckIdentifier(Dns(name));
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().type == ProblemType::kMalformed);
  CHECK(checked.error().status == 400);
}

TEST_CASE("an IP literal typed as dns is malformed (S-ORD-08, S-IP-05)", "[identifier_policy]") {
  const std::string value =
      GENERATE(std::string("192.0.2.1"), std::string("2001:db8::1"), std::string("*.192.0.2.1"));
  const auto checked = CheckIdentifier(Dns(value));
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().type == ProblemType::kMalformed);
  CHECK(checked.error().status == 400);
}

TEST_CASE("ip identifiers must be canonical (RFC 8738, S-IP-01)", "[identifier_policy]") {
  for (const char* non_canonical : {"2001:DB8:0:0::1", "2001:db8:0::1", "010.0.0.1"}) {
    INFO(non_canonical);
    const auto refused = CheckIdentifier(Ip(non_canonical));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().type == mockca::acme::ProblemType::kMalformed);
  }
  const auto v6 = CheckIdentifier(Ip("2001:db8::1"));
  REQUIRE(v6.ok());
  CHECK(v6->identifier == mockca::acme::Identifier{"ip", "2001:db8::1"});
  CHECK_FALSE(v6->wildcard);
  const auto v4 = CheckIdentifier(Ip("192.0.2.7"));
  REQUIRE(v4.ok());
  CHECK(v4->identifier.value == "192.0.2.7");

  const std::string bad =
      GENERATE(std::string("example.org"), std::string("[2001:db8::1]"), std::string("1.2.3"),
               std::string("fe80::1%eth0"), std::string(""));
  const auto refused = CheckIdentifier(Ip(bad));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().type == ProblemType::kMalformed);
}

TEST_CASE("other identifier types are unsupportedIdentifier (S-ORD-02)", "[identifier_policy]") {
  const std::string type = GENERATE(std::string("email"), std::string("DNS"), std::string(""));
  const auto checked = CheckIdentifier({{"type", type}, {"value", "example.org"}});
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().type == ProblemType::kUnsupportedIdentifier);
  CHECK(checked.error().status == 400);
}

TEST_CASE("the identifiers list must be a non-empty array of objects (S-ORD-01)",
          "[identifier_policy]") {
  const json identifiers = GENERATE(json(), json::array(), json::object(), json("example.org"),
                                    json{json{1, 2}}, json::array({json{{"type", "dns"}}}),
                                    json::array({json{{"type", "dns"}, {"value", 7}}}),
                                    json::array({Dns("ok.example"), json("example.org")}));
  const auto checked = CheckOrderIdentifiers(identifiers);
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().type == ProblemType::kMalformed);
  CHECK(checked.error().subproblems.empty());
  CHECK_FALSE(checked.error().identifier.has_value());
}

TEST_CASE("duplicates after normalization are dropped, order kept (S-ORD-08 POL)",
          "[identifier_policy]") {
  const auto checked = CheckOrderIdentifiers(
      {Dns("b.example"), Dns("A.example"), Dns("B.EXAMPLE"), Dns("*.a.example"), Dns("*.A.example"),
       Dns("a.example"), Ip("2001:db8::1"), Ip("2001:db8::1")});
  REQUIRE(checked.ok());
  REQUIRE(checked->size() == 4);
  CHECK((*checked)[0].identifier.value == "b.example");
  CHECK((*checked)[1].identifier.value == "a.example");
  CHECK((*checked)[2].identifier.value == "*.a.example");
  CHECK((*checked)[2].wildcard);
  CHECK((*checked)[3].identifier == mockca::acme::Identifier{"ip", "2001:db8::1"});
}

TEST_CASE("several bad identifiers are subproblems with their identifier (S-ORD-02, S-ERR-03)",
          "[identifier_policy]") {
  SECTION("mixed types: top-level malformed") {
    const auto checked =
        CheckOrderIdentifiers({Dns("ok.example"), Dns("bad..example"),
                               json{{"type", "email"}, {"value", "a@b.c"}}, Dns("192.0.2.1")});
    REQUIRE_FALSE(checked.ok());
    const mockca::acme::Problem& problem = checked.error();
    CHECK(problem.type == ProblemType::kMalformed);
    CHECK(problem.status == 400);
    CHECK_FALSE(problem.identifier.has_value());  // S-ERR-03: only inside subproblems
    REQUIRE(problem.subproblems.size() == 3);
    CHECK(problem.subproblems[0].type == ProblemType::kMalformed);
    CHECK(problem.subproblems[0].identifier == mockca::acme::Identifier{"dns", "bad..example"});
    CHECK(problem.subproblems[1].type == ProblemType::kUnsupportedIdentifier);
    CHECK(problem.subproblems[1].identifier == mockca::acme::Identifier{"email", "a@b.c"});
    CHECK(problem.subproblems[2].type == ProblemType::kMalformed);
    CHECK(problem.subproblems[2].identifier == mockca::acme::Identifier{"dns", "192.0.2.1"});
  }
  SECTION("one bad identifier: its type on top, one subproblem as sent") {
    const auto checked = CheckOrderIdentifiers({Dns("ok.example"), Ip("Not-An-IP")});
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().type == ProblemType::kMalformed);
    REQUIRE(checked.error().subproblems.size() == 1);
    CHECK(checked.error().subproblems[0].identifier == mockca::acme::Identifier{"ip", "Not-An-IP"});
  }
  SECTION("all of one type: that type on top") {
    const auto checked = CheckOrderIdentifiers(
        {json{{"type", "email"}, {"value", "a"}}, json{{"type", "uri"}, {"value", "b"}}});
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().type == ProblemType::kUnsupportedIdentifier);
    CHECK(checked.error().subproblems.size() == 2);
  }
}

}  // namespace

}  // namespace identifier_policy_test
