#include "mockdns/api/management_api.hpp"

// The request-history endpoints of ManagementApi: response shapes (parsed as JSON) and clearing.
// The other endpoints are tested in management_api_test.cpp.

#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "common/json.hpp"
#include "tests/support/management_fixture.hpp"

namespace management_api_history_test {

namespace {

namespace wire = mockdns::wire;
namespace zone = mockdns::zone;
using nlohmann::json;
using support::ManagementFixture;

std::set<std::string> Keys(const json& object) {
  std::set<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) {
    keys.insert(it.key());
  }
  return keys;
}

json PostForJson(ManagementFixture& f, const std::string& target, const std::string& body) {
  const http::Response response = f.Post(target, body);
  REQUIRE(response.status == 200);
  CHECK(response.headers == std::vector<std::pair<std::string, std::string>>{
                                {"Content-Type", "application/json; charset=utf-8"}});
  const json parsed = json::parse(response.body, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  REQUIRE(parsed.is_array());
  return parsed;
}

TEST_CASE("http-request-history lists events with challtestsrv field names", "[api][history]") {
  ManagementFixture f;
  f.history.Add(zone::HttpRequestEvent{"/.well-known/acme-challenge/tok", "Example.com:5002", false,
                                       "", "Go-http-client/1.1"});
  f.history.Add(zone::HttpRequestEvent{"/x?y=1", "example.com", true, "example.com", ""});

  const json list = PostForJson(f, "/http-request-history", R"({"host":"example.com"})");
  REQUIRE(list.size() == 2);
  CHECK(Keys(list[0]) == std::set<std::string>{"URL", "Host", "HTTPS", "ServerName", "UserAgent"});
  CHECK(list[0]["URL"] == "/.well-known/acme-challenge/tok");
  CHECK(list[0]["Host"] == "Example.com:5002");
  CHECK(list[0]["HTTPS"] == false);
  CHECK(list[0]["ServerName"] == "");
  CHECK(list[0]["UserAgent"] == "Go-http-client/1.1");
  CHECK(list[1]["HTTPS"] == true);
  CHECK(list[1]["ServerName"] == "example.com");
}

TEST_CASE("dns-request-history lists questions with Name, Qtype and Qclass", "[api][history]") {
  ManagementFixture f;
  f.history.Add(zone::DnsRequestEvent{
      {"_acme-challenge.example.com.", wire::rrtype::kTxt, wire::kClassIn}, "doh-client/1"});
  const json list =
      PostForJson(f, "/dns-request-history", R"({"host":"_acme-challenge.example.com"})");
  REQUIRE(list.size() == 1);
  CHECK(Keys(list[0]) == std::set<std::string>{"Question", "UserAgent"});
  CHECK(Keys(list[0]["Question"]) == std::set<std::string>{"Name", "Qtype", "Qclass"});
  CHECK(list[0]["Question"]["Name"] == "_acme-challenge.example.com.");
  CHECK(list[0]["Question"]["Qtype"] == 16);
  CHECK(list[0]["Question"]["Qclass"] == 1);
  CHECK(list[0]["UserAgent"] == "doh-client/1");
}

TEST_CASE("tlsalpn01-request-history lists ServerName and SupportedProtos", "[api][history]") {
  ManagementFixture f;
  f.history.Add(zone::TlsAlpnRequestEvent{"example.com", {"acme-tls/1"}});
  const json list = PostForJson(f, "/tlsalpn01-request-history", R"({"host":"example.com"})");
  REQUIRE(list.size() == 1);
  CHECK(Keys(list[0]) == std::set<std::string>{"ServerName", "SupportedProtos"});
  CHECK(list[0]["ServerName"] == "example.com");
  CHECK(list[0]["SupportedProtos"] == json::array({"acme-tls/1"}));
}

TEST_CASE("The history endpoints answer [] for a host without events", "[api][history]") {
  ManagementFixture f;
  for (const char* target :
       {"/http-request-history", "/dns-request-history", "/tlsalpn01-request-history"}) {
    DYNAMIC_SECTION(target) {
      const http::Response response = f.Post(target, R"({"host":"quiet.example"})");
      CHECK(response.status == 200);
      CHECK(response.body == "[]");
    }
  }
}

TEST_CASE("The history endpoints require a host", "[api][history]") {
  ManagementFixture f;
  const http::Response response = f.Post("/http-request-history", "{}");
  CHECK(response.status == 400);
  CHECK_THAT(response.body, Catch::Contains("host parameter must not be empty"));
}

TEST_CASE("clear-request-history clears only the named kind", "[api][history]") {
  ManagementFixture f;
  auto fill = [&f] {
    f.history.Add(zone::HttpRequestEvent{"/", "h.example", false, "", ""});
    f.history.Add(zone::DnsRequestEvent{{"h.example.", wire::rrtype::kA, wire::kClassIn}, ""});
    f.history.Add(zone::TlsAlpnRequestEvent{"h.example", {}});
  };
  fill();
  REQUIRE(f.Post("/clear-request-history", R"({"host":"h.example","type":"http"})").status == 200);
  CHECK(f.history.Http("h.example").empty());
  CHECK(f.history.Dns("h.example").size() == 1);
  CHECK(f.history.TlsAlpn("h.example").size() == 1);

  REQUIRE(f.Post("/clear-request-history", R"({"host":"h.example","type":"dns"})").status == 200);
  CHECK(f.history.Dns("h.example").empty());
  CHECK(f.history.TlsAlpn("h.example").size() == 1);

  REQUIRE(f.Post("/clear-request-history", R"({"host":"h.example","type":"tlsalpn"})").status ==
          200);
  CHECK(f.history.TlsAlpn("h.example").empty());
}

TEST_CASE("clear-request-history refuses an unknown type and keeps the events", "[api][history]") {
  ManagementFixture f;
  f.history.Add(zone::HttpRequestEvent{"/", "h.example", false, "", ""});
  const http::Response response =
      f.Post("/clear-request-history", R"({"host":"h.example","type":"foo"})");
  CHECK(response.status == 400);
  CHECK_THAT(response.body, Catch::Contains("\"foo\" event type unknown"));
  CHECK(f.history.Http("h.example").size() == 1);
}

}  // namespace

}  // namespace management_api_history_test
