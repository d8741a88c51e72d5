#include "mockdns/server/options.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace options_test {

namespace {

using common::ListenAddress;
using mockdns::server::MockDnsOptions;
using mockdns::server::ParseMockDnsFlags;
using Addresses = std::vector<ListenAddress>;

common::Result<MockDnsOptions, std::string> Parse(std::vector<const char*> args,
                                                  std::string* usage = nullptr) {
  std::string ignored;
  args.insert(args.begin(), "mockdns");
  return ParseMockDnsFlags(static_cast<int>(args.size()), args.data(), usage ? usage : &ignored);
}

MockDnsOptions MustParse(std::vector<const char*> args) {
  auto options = Parse(std::move(args));
  REQUIRE(options.ok());
  return std::move(options).value();
}

TEST_CASE("ParseMockDnsFlags defaults match pebble-challtestsrv on loopback", "[server][options]") {
  const MockDnsOptions options = MustParse({});
  CHECK(options.http01 == Addresses{{"127.0.0.1", 5002}});
  CHECK(options.https01 == Addresses{{"127.0.0.1", 5003}});
  CHECK(options.tls_alpn01 == Addresses{{"127.0.0.1", 5001}});
  CHECK(options.dns == Addresses{{"127.0.0.1", 8053}});
  CHECK(options.doh == Addresses{{"127.0.0.1", 8443}});
  CHECK(options.management == Addresses{{"127.0.0.1", 8055}});
  CHECK(options.default_ipv4 == "127.0.0.1");
  CHECK(options.default_ipv6 == "::1");
  CHECK(options.doh_cert.empty());
  CHECK(options.doh_cert_key.empty());
  CHECK_FALSE(options.seed.has_value());
  CHECK_FALSE(options.verbose);
}

TEST_CASE("ParseMockDnsFlags takes -dns01 as the old name of -dnsserver", "[server][options]") {
  CHECK(MustParse({"-dns01", ":9"}).dns == Addresses{{"127.0.0.1", 9}});
  CHECK(MustParse({"-dnsserver", "[::1]:53,127.0.0.1:54"}).dns ==
        Addresses{{"::1", 53}, {"127.0.0.1", 54}});
}

TEST_CASE("ParseMockDnsFlags disables a server given an empty address", "[server][options]") {
  const MockDnsOptions options = MustParse({"-http01", "", "-tlsalpn01="});
  CHECK(options.http01.empty());
  CHECK(options.tls_alpn01.empty());
  CHECK(options.https01 == Addresses{{"127.0.0.1", 5003}});
}

TEST_CASE("ParseMockDnsFlags binds every interface with --listen-all", "[server][options]") {
  const MockDnsOptions options = MustParse({"--listen-all", "-management", "127.0.0.1:9999"});
  CHECK(options.dns == Addresses{{"::", 8053}});
  CHECK(options.http01 == Addresses{{"::", 5002}});
  CHECK(options.management == Addresses{{"127.0.0.1", 9999}});
}

TEST_CASE("ParseMockDnsFlags keeps the management API on loopback without -expose-management",
          "[server][options]") {
  CHECK(MustParse({"--listen-all"}).management == Addresses{{"127.0.0.1", 8055}});
  CHECK(MustParse({"--listen-all", "-expose-management"}).management == Addresses{{"::", 8055}});
  auto refused = Parse({"-management", "0.0.0.0:8055"});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().find("-expose-management") != std::string::npos);
  CHECK(MustParse({"-management", "0.0.0.0:8055", "-expose-management"}).management ==
        Addresses{{"0.0.0.0", 8055}});
}

TEST_CASE("ParseMockDnsFlags reads the other flags", "[server][options]") {
  const MockDnsOptions options =
      MustParse({"-defaultIPv4", "10.0.0.1", "-defaultIPv6=2001:db8::1", "--seed", "42", "-v",
                 "-doh-cert", "cert.pem", "-doh-cert-key", "key.pem"});
  CHECK(options.default_ipv4 == "10.0.0.1");
  CHECK(options.default_ipv6 == "2001:db8::1");
  REQUIRE(options.seed.has_value());
  CHECK(*options.seed == 42);
  CHECK(options.verbose);
  CHECK(options.doh_cert == "cert.pem");
  CHECK(options.doh_cert_key == "key.pem");
  CHECK(MustParse({"--seed=18446744073709551615"}).seed == 18446744073709551615u);
}

TEST_CASE("ParseMockDnsFlags accepts empty default addresses", "[server][options]") {
  const MockDnsOptions options = MustParse({"-defaultIPv4", "", "-defaultIPv6", ""});
  CHECK(options.default_ipv4.empty());
  CHECK(options.default_ipv6.empty());
}

struct BadCase {
  const char* name;
  std::vector<const char*> args;
  const char* detail;
};

TEST_CASE("ParseMockDnsFlags reports bad flags", "[server][options]") {
  const BadCase cases[] = {
      {"bad default IPv4",
       {"-defaultIPv4", "300.1.1.1"},
       "-defaultIPv4: \"300.1.1.1\" is not an IPv4 address"},
      {"IPv6 as default IPv4", {"-defaultIPv4", "::1"}, "-defaultIPv4"},
      {"bad default IPv6", {"-defaultIPv6", "127.0.0.1"}, "-defaultIPv6"},
      {"seed not a number", {"--seed", "abc"}, "--seed: \"abc\" is not an unsigned integer"},
      {"negative seed", {"--seed", "-1"}, "is not an unsigned integer"},
      {"seed with junk", {"--seed", "12x"}, "is not an unsigned integer"},
      {"seed overflow", {"--seed", "18446744073709551616"}, "is not an unsigned integer"},
      {"address without port", {"-dnsserver", "127.0.0.1"}, "-dnsserver: missing port"},
      {"host name address", {"-http01", "example.com:80"}, "-http01: "},
      {"bad port", {"-management", ":99999"}, "-management: bad port"},
      {"unknown flag", {"-nope"}, "flag provided but not defined: -nope"},
      {"missing value", {"-dnsserver"}, "flag needs an argument: -dnsserver"},
      {"help", {"-h"}, "help requested"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto options = Parse(tc.args);
      REQUIRE_FALSE(options.ok());
      CHECK_THAT(options.error(), Catch::Contains(tc.detail));
    }
  }
}

TEST_CASE("ParseMockDnsFlags fills the usage text even on error", "[server][options]") {
  std::string usage;
  REQUIRE_FALSE(Parse({"-h"}, &usage).ok());
  CHECK_THAT(usage, Catch::StartsWith("Usage of mockdns:"));
  CHECK_THAT(usage, Catch::Contains("-dnsserver, -dns01"));
  CHECK_THAT(usage, Catch::Contains("(default \":8053\")"));
  CHECK_THAT(usage, Catch::Contains("-listen-all"));
}

}  // namespace

}  // namespace options_test
