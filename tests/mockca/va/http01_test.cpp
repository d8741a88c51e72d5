#include "mockca/va/http01.hpp"

#include <catch2/catch.hpp>

#include "tests/support/mockdns_lab.hpp"

namespace http01_test {

namespace {

using mockca::acme::ProblemType;
using mockca::va::Http01Options;
using mockca::va::ValidateHttp01;
using namespace std::chrono_literals;

Http01Options OptionsFor(const support::MockDnsLab& lab) {
  Http01Options options;
  options.port = lab.bound().http01.front().port;
  options.timeout = 3s;
  return options;
}

// S-CHAL-09: the fetch, trailing whitespace, and redirects within the bound.
TEST_CASE("ValidateHttp01 fetches the key authorization through mockdns", "[va][http01][net]") {
  support::MockDnsLab lab;
  auto& challenges = lab.dns().challenges();
  challenges.AddHttp01("tok", "tok.thumb\r\n");
  challenges.AddHttp01("moved", "moved.thumb");
  const std::string prefix = "/.well-known/acme-challenge/";
  challenges.AddRedirect(
      prefix + "hop",
      "http://127.0.0.1:" + std::to_string(lab.bound().http01.front().port) + prefix + "moved");
  challenges.AddRedirect(prefix + "to-https", "https://secure.example:" +
                                                  std::to_string(lab.bound().https01.front().port) +
                                                  prefix + "tok");
  challenges.AddRedirect(prefix + "loop", prefix + "loop");

  const mockca::acme::Identifier id{"dns", "web.example"};
  CHECK(ValidateHttp01(id, "tok", "tok.thumb", lab.resolver(), OptionsFor(lab)).ok());
  CHECK(ValidateHttp01(id, "hop", "moved.thumb", lab.resolver(), OptionsFor(lab)).ok());
  CHECK(ValidateHttp01(id, "to-https", "tok.thumb", lab.resolver(), OptionsFor(lab)).ok());

  struct Case {
    const char* name;
    std::string token;
    std::string host;
    ProblemType type;
    const char* detail;
  } cases[] = {
      {"wrong body", "tok", "web.example", ProblemType::kUnauthorized, "did not match"},
      {"unknown token (empty 200)", "nope", "web.example", ProblemType::kUnauthorized,
       "(got \"\")"},
      {"redirect loop", "loop", "web.example", ProblemType::kConnection, "too many redirects"},
      {"name fails to resolve", "tok", "broken.example", ProblemType::kDns, "DNS problem"},
  };
  lab.dns().zone().Update([](auto& d) { d.servfail.insert("broken.example."); });
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto status = ValidateHttp01({"dns", tc.host}, tc.token, "expected.thumb",
                                         lab.resolver(), OptionsFor(lab));
      REQUIRE_FALSE(status.ok());
      CHECK(status.error().type == tc.type);
      CHECK_THAT(status.error().detail, Catch::Contains(tc.detail));
    }
  }
  const auto history = lab.dns().history().Http("web.example");
  REQUIRE_FALSE(history.empty());
  CHECK(history.front().user_agent == "Anvil-mockca-VA");
}

TEST_CASE("ValidateHttp01 reports a refused connection as a connection problem",
          "[va][http01][net]") {
  support::MockDnsLab lab;
  Http01Options options = OptionsFor(lab);
  options.port = 1;  // nothing listens on port 1 of 127.0.0.1
  const auto status =
      ValidateHttp01({"ip", "127.0.0.1"}, "tok", "tok.thumb", lab.resolver(), options);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().type == ProblemType::kConnection);
}

}  // namespace

}  // namespace http01_test
