#include "mockca/va/dns01.hpp"

#include <map>

#include <catch2/catch.hpp>

#include "mockca/va/key_authorization.hpp"
#include "tests/support/mockdns_lab.hpp"

namespace dns01_test {

namespace {

using mockca::acme::Identifier;
using mockca::acme::ProblemType;
using mockca::va::ValidateDns01;
using mockdns::resolver::Answer;
using mockdns::resolver::QueryType;

const std::string kToken = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
const std::string kThumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";  // RFC 7638 §3.1

// Answers TXT lookups from a map; a name mapped to an error string fails with it.
class FakeResolver final : public mockdns::resolver::Resolver {
 public:
  std::map<std::string, std::vector<std::string>> txt;
  std::map<std::string, std::string> errors;
  std::vector<std::string> asked;

  common::Result<Answer, std::string> Lookup(const std::string& name, QueryType type) override {
    asked.push_back(name);
    REQUIRE(type == QueryType::kTxt);
    if (auto error = errors.find(name); error != errors.end()) {
      return common::MakeErr(error->second);
    }
    return Answer{txt[name]};
  }
};

// S-CHAL-08 and RFC 8555 §8.4, checked against Python's hashlib/base64.
TEST_CASE("Key authorization and its dns-01 digest match known values", "[va][dns01]") {
  const std::string key_authorization = mockca::va::KeyAuthorization(kToken, kThumbprint);
  CHECK(key_authorization == kToken + "." + kThumbprint);
  CHECK(mockca::va::Dns01TxtValue(key_authorization) ==
        "ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8");
}

struct Dns01Case {
  const char* name;
  std::vector<std::string> records;
  const char* error;  // resolver failure, or nullptr
  bool ok;
  ProblemType type;
  int status;
  const char* detail;
};

// S-CHAL-10, S-CHAL-07: the lookup name, a match among several values, and each failure's type.
TEST_CASE("ValidateDns01 passes on any matching TXT value and explains each failure",
          "[va][dns01]") {
  const std::string key_authorization = mockca::va::KeyAuthorization(kToken, kThumbprint);
  const std::string good = mockca::va::Dns01TxtValue(key_authorization);
  const Dns01Case cases[] = {
      {"the only value matches", {good}, nullptr, true, ProblemType::kMalformed, 0, ""},
      {"one of several matches", {"stale", good}, nullptr, true, ProblemType::kMalformed, 0, ""},
      {"no record", {}, nullptr, false, ProblemType::kUnauthorized, 403, "No TXT record found"},
      {"wrong value",
       {"stale"},
       nullptr,
       false,
       ProblemType::kUnauthorized,
       403,
       "Incorrect TXT record \"stale\""},
      {"lookup fails",
       {},
       "Server failed",
       false,
       ProblemType::kDns,
       400,
       "DNS problem: Server failed looking up TXT for _acme-challenge.example.com"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      FakeResolver resolver;
      resolver.txt["_acme-challenge.example.com"] = tc.records;
      if (tc.error != nullptr) {
        resolver.errors["_acme-challenge.example.com"] = tc.error;
      }
      const auto status = ValidateDns01({"dns", "example.com"}, key_authorization, resolver);
      CHECK(resolver.asked == std::vector<std::string>{"_acme-challenge.example.com"});
      REQUIRE(status.ok() == tc.ok);
      if (!tc.ok) {
        CHECK(status.error().type == tc.type);
        CHECK(status.error().status == tc.status);
        CHECK_THAT(status.error().detail, Catch::Contains(tc.detail));
      }
    }
  }
}

TEST_CASE("ValidateDns01 refuses an ip identifier as malformed", "[va][dns01]") {
  FakeResolver resolver;
  const auto status = ValidateDns01({"ip", "192.0.2.1"}, "k", resolver);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().type == ProblemType::kMalformed);
  CHECK(resolver.asked.empty());
}

// The real path: c-ares over UDP against an in-process mockdns, CNAME included.
TEST_CASE("ValidateDns01 validates through c-ares against a running mockdns", "[va][dns01][net]") {
  support::MockDnsLab lab;
  auto& dns = lab.dns();
  const std::string key_authorization = mockca::va::KeyAuthorization(kToken, kThumbprint);
  dns.zone().Update([&](mockdns::zone::ZoneData& d) {
    d.txt["_acme-challenge.direct.example."] = {mockca::va::Dns01TxtValue(key_authorization)};
    d.cname["_acme-challenge.aliased.example."] = "_acme-challenge.direct.example.";
    d.servfail.insert("_acme-challenge.broken.example.");
  });
  CHECK(ValidateDns01({"dns", "direct.example"}, key_authorization, lab.resolver()).ok());
  CHECK(ValidateDns01({"dns", "aliased.example"}, key_authorization, lab.resolver()).ok());
  const auto missing = ValidateDns01({"dns", "absent.example"}, key_authorization, lab.resolver());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().type == ProblemType::kUnauthorized);
  const auto broken = ValidateDns01({"dns", "broken.example"}, key_authorization, lab.resolver());
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().type == ProblemType::kDns);
}

}  // namespace

}  // namespace dns01_test
