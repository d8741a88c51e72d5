#include "mockdns/api/history_json.hpp"

#include <catch2/catch.hpp>

#include "common/json.hpp"

namespace history_json_test {

namespace {

namespace api = mockdns::api;
namespace wire = mockdns::wire;
namespace zone = mockdns::zone;
using nlohmann::json;

TEST_CASE("History JSON of no events is []", "[api][history_json]") {
  CHECK(api::HttpHistoryJson({}) == "[]");
  CHECK(api::DnsHistoryJson({}) == "[]");
  CHECK(api::TlsAlpnHistoryJson({}) == "[]");
}

TEST_CASE("History JSON is indented by three spaces like challtestsrv", "[api][history_json]") {
  const std::string text = api::TlsAlpnHistoryJson({{"example.com", {"acme-tls/1"}}});
  CHECK_THAT(text, Catch::StartsWith("[\n   {\n      \""));
  CHECK_THAT(text, Catch::EndsWith("\n   }\n]"));
}

TEST_CASE("HTTP history JSON carries every event field", "[api][history_json]") {
  const json list = json::parse(
      api::HttpHistoryJson({{"/a", "h:1", true, "h", "ua"}, {"/b", "h", false, "", ""}}));
  REQUIRE(list.size() == 2);
  CHECK(list[0] == json{{"URL", "/a"},
                        {"Host", "h:1"},
                        {"HTTPS", true},
                        {"ServerName", "h"},
                        {"UserAgent", "ua"}});
  CHECK(list[1]["URL"] == "/b");
  CHECK(list[1]["HTTPS"] == false);
}

TEST_CASE("DNS history JSON nests the question", "[api][history_json]") {
  const json list =
      json::parse(api::DnsHistoryJson({{{"a.example.", wire::rrtype::kAaaa, 1}, ""}}));
  REQUIRE(list.size() == 1);
  CHECK(list[0] == json{{"Question", {{"Name", "a.example."}, {"Qtype", 28}, {"Qclass", 1}}},
                        {"UserAgent", ""}});
}

TEST_CASE("TLS-ALPN history JSON lists the offered protocols", "[api][history_json]") {
  const json list = json::parse(api::TlsAlpnHistoryJson({{"h", {"acme-tls/1", "h2"}}, {"g", {}}}));
  REQUIRE(list.size() == 2);
  CHECK(list[0]["SupportedProtos"] == json::array({"acme-tls/1", "h2"}));
  CHECK(list[1]["SupportedProtos"] == json::array());
}

TEST_CASE("History JSON replaces invalid UTF-8 instead of throwing", "[api][history_json]") {
  std::string text;
  REQUIRE_NOTHROW(text = api::HttpHistoryJson({{"/\xff\xfe", "h", false, "", "bad\xc3"}}));
  const json list = json::parse(text, nullptr, false);
  REQUIRE_FALSE(list.is_discarded());
  CHECK(list[0]["URL"] == "/\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace

}  // namespace history_json_test
