#include "mockca/va/http01.hpp"

#include <sstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "common/logger.hpp"
#include "mockdns/server/mockdns_server.hpp"

namespace {

using mockca::acme::ProblemType;
using mockca::va::Http01Options;
using mockca::va::ValidateHttp01;
using namespace std::chrono_literals;

// mockdns in-process: DNS, http-01 and https-01 on free ports, names resolving to 127.0.0.1.
class Lab {
 public:
  Lab() : log_(sink_, "mockdns"), rng_(11) {
    mockdns::server::MockDnsOptions options;
    options.dns = {{"127.0.0.1", 0}};
    options.http01 = {{"127.0.0.1", 0}};
    options.https01 = {{"127.0.0.1", 0}};
    options.default_ipv6 = "";
    dns_ = std::make_unique<mockdns::server::MockDns>(ioc_, options, rng_, log_);
    auto bound = dns_->Start();
    REQUIRE(bound.ok());
    bound_ = bound.value();
    runner_ = std::thread([this] { ioc_.run(); });
    auto resolver = mockdns::resolver::CaresResolver::Create({bound_.dns.front().ToString()});
    REQUIRE(resolver.ok());
    resolver_ = std::move(resolver).value();
  }
  ~Lab() {
    ioc_.stop();
    runner_.join();
  }

  mockdns::server::MockDns& dns() { return *dns_; }
  mockdns::resolver::Resolver& resolver() { return *resolver_; }
  std::uint16_t http_port() const { return bound_.http01.front().port; }
  std::uint16_t https_port() const { return bound_.https01.front().port; }
  Http01Options options() const {
    Http01Options options;
    options.port = http_port();
    options.timeout = 3s;
    return options;
  }

 private:
  std::ostringstream sink_;
  common::Logger log_;
  common::Rng rng_;
  boost::asio::io_context ioc_;
  std::unique_ptr<mockdns::server::MockDns> dns_;
  mockdns::server::BoundAddresses bound_;
  std::thread runner_;
  std::unique_ptr<mockdns::resolver::CaresResolver> resolver_;
};

// S-CHAL-09: the fetch, trailing whitespace, and redirects within the bound.
TEST_CASE("ValidateHttp01 fetches the key authorization through mockdns", "[va][http01][net]") {
  Lab lab;
  auto& challenges = lab.dns().challenges();
  challenges.AddHttp01("tok", "tok.thumb\r\n");
  challenges.AddHttp01("moved", "moved.thumb");
  const std::string prefix = "/.well-known/acme-challenge/";
  challenges.AddRedirect(prefix + "hop",
                         "http://127.0.0.1:" + std::to_string(lab.http_port()) + prefix + "moved");
  challenges.AddRedirect(
      prefix + "to-https",
      "https://secure.example:" + std::to_string(lab.https_port()) + prefix + "tok");
  challenges.AddRedirect(prefix + "loop", prefix + "loop");

  const mockca::acme::Identifier id{"dns", "web.example"};
  CHECK(ValidateHttp01(id, "tok", "tok.thumb", lab.resolver(), lab.options()).ok());
  CHECK(ValidateHttp01(id, "hop", "moved.thumb", lab.resolver(), lab.options()).ok());
  CHECK(ValidateHttp01(id, "to-https", "tok.thumb", lab.resolver(), lab.options()).ok());

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
                                         lab.resolver(), lab.options());
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
  Lab lab;
  Http01Options options = lab.options();
  options.port = 1;  // nothing listens on port 1 of 127.0.0.1
  const auto status =
      ValidateHttp01({"ip", "127.0.0.1"}, "tok", "tok.thumb", lab.resolver(), options);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().type == ProblemType::kConnection);
}

}  // namespace
