#include "common/listen_address.hpp"

#include <catch2/catch.hpp>

#include "common/ip_literal.hpp"

namespace listen_address_test {

namespace {

using common::ListenAddress;
using common::ParseListenList;

struct ListCase {
  const char* name;
  const char* text;
  bool listen_all;
  std::vector<ListenAddress> want;
};

TEST_CASE("ParseListenList accepts Go listen addresses", "[common][listen]") {
  const ListCase cases[] = {
      {"port only is loopback", ":5002", false, {{"127.0.0.1", 5002}}},
      {"port only with listen_all is every interface", ":5002", true, {{"::", 5002}}},
      {"bracketed IPv6", "[::1]:53", false, {{"::1", 53}}},
      {"localhost is loopback", "localhost:1", false, {{"127.0.0.1", 1}}},
      {"explicit IPv4", "10.1.2.3:8053", true, {{"10.1.2.3", 8053}}},
      {"port zero", "127.0.0.1:0", false, {{"127.0.0.1", 0}}},
      {"empty disables", "", false, {}},
      {"blank disables", "   ", false, {}},
      {"list with spaces",
       "127.0.0.1:1, [::1]:2 , :3",
       false,
       {{"127.0.0.1", 1}, {"::1", 2}, {"127.0.0.1", 3}}},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto parsed = ParseListenList(tc.text, tc.listen_all);
      REQUIRE(parsed.ok());
      CHECK(parsed.value() == tc.want);
    }
  }
}

struct BadCase {
  const char* name;
  const char* text;
  const char* detail;
};

TEST_CASE("ParseListenList names the bad entry", "[common][listen]") {
  const BadCase cases[] = {
      {"port over 65535", ":65536", "bad port in address \":65536\""},
      {"port not a number", ":http", "bad port"},
      {"empty port", "127.0.0.1:", "bad port"},
      {"negative port", ":-1", "bad port"},
      {"host name refused", "example.com:80", "must be an IP address or localhost"},
      {"missing port", "127.0.0.1", "missing port in address \"127.0.0.1\""},
      {"unbracketed IPv6", "::1:53", "IPv6 address needs brackets"},
      {"second entry bad", ":1,:x", "bad port in address \":x\""},
      {"empty entry in list", ":1,,:2", "missing port"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto parsed = ParseListenList(tc.text, false);
      REQUIRE_FALSE(parsed.ok());
      CHECK_THAT(parsed.error(), Catch::Contains(tc.detail));
    }
  }
}

TEST_CASE("SplitHostPort keeps an empty host and strips brackets", "[common][listen]") {
  const auto empty_host = common::SplitHostPort(":80");
  REQUIRE(empty_host.ok());
  CHECK(empty_host.value() == ListenAddress{"", 80});

  const auto v6 = common::SplitHostPort("[2001:db8::1]:443");
  REQUIRE(v6.ok());
  CHECK(v6.value() == ListenAddress{"2001:db8::1", 443});
}

TEST_CASE("ListenAddress ToString brackets IPv6 hosts", "[common][listen]") {
  CHECK(ListenAddress{"127.0.0.1", 8053}.ToString() == "127.0.0.1:8053");
  CHECK(ListenAddress{"::1", 53}.ToString() == "[::1]:53");
  CHECK(ListenAddress{"::", 0}.ToString() == "[::]:0");
}

}  // namespace

TEST_CASE("IsIpLiteral accepts whole addresses of the asked family only", "[common][ip]") {
  using common::IpFamily;
  using common::IsIpLiteral;
  CHECK(IsIpLiteral("127.0.0.1"));
  CHECK(IsIpLiteral("::1"));
  CHECK(IsIpLiteral("192.0.2.1", IpFamily::kV4));
  CHECK_FALSE(IsIpLiteral("192.0.2.1", IpFamily::kV6));
  CHECK(IsIpLiteral("2001:db8::1", IpFamily::kV6));
  CHECK_FALSE(IsIpLiteral("2001:db8::1", IpFamily::kV4));
  CHECK_FALSE(IsIpLiteral(std::string_view("1.2.3.4\0junk", 12)));
  CHECK_FALSE(IsIpLiteral("example.com"));
  CHECK_FALSE(IsIpLiteral("[::1]"));
  CHECK_FALSE(IsIpLiteral(""));
}

TEST_CASE("IpOctets and CanonicalIp give the address's bytes and inet_ntop form", "[common][ip]") {
  CHECK(common::IpOctets("192.0.2.1") == std::vector<unsigned char>{192, 0, 2, 1});
  CHECK(common::IpOctets("::1")->size() == 16);
  CHECK_FALSE(common::IpOctets(std::string_view("192.0.2.1\0x", 11)));
  CHECK(common::CanonicalIp("2001:DB8:0::1") == std::optional<std::string>("2001:db8::1"));
  CHECK_FALSE(common::CanonicalIp("host.example"));
}

TEST_CASE("ListenAddress IsLoopback knows 127/8 and ::1 only", "[common][listen]") {
  CHECK(ListenAddress{"127.0.0.1", 1}.IsLoopback());
  CHECK(ListenAddress{"127.255.0.9", 1}.IsLoopback());
  CHECK(ListenAddress{"::1", 1}.IsLoopback());
  CHECK(ListenAddress{"::ffff:127.0.0.1", 1}.IsLoopback());
  CHECK_FALSE(ListenAddress{"0.0.0.0", 1}.IsLoopback());
  CHECK_FALSE(ListenAddress{"::", 1}.IsLoopback());
  CHECK_FALSE(ListenAddress{"192.0.2.1", 1}.IsLoopback());
  CHECK_FALSE(ListenAddress{"::ffff:192.0.2.1", 1}.IsLoopback());
  CHECK_FALSE(ListenAddress{"128.0.0.1", 1}.IsLoopback());
}

TEST_CASE("ManagementExposureError names the first address off loopback and the flag",
          "[common][listen]") {
  const std::vector<ListenAddress> local{{"127.0.0.1", 15000}, {"::1", 15000}};
  const std::vector<ListenAddress> open{{"127.0.0.1", 15000}, {"0.0.0.0", 15000}};
  CHECK(common::ManagementExposureError(local, false, "--management", "--expose").empty());
  CHECK(common::ManagementExposureError(open, true, "--management", "--expose").empty());
  const std::string error =
      common::ManagementExposureError(open, false, "--management", "--expose");
  CHECK_THAT(error, Catch::StartsWith("--management: 0.0.0.0:15000 is not loopback"));
  CHECK_THAT(error, Catch::Contains("private keys"));
  CHECK_THAT(error, Catch::EndsWith("--expose"));
}

}  // namespace listen_address_test
