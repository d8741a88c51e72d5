#include "mockca/server/eab_management.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "common/json.hpp"
#include "mockca/wfe/eab_keys.hpp"
#include "tests/support/jws_signer.hpp"

namespace eab_management_test {

namespace {

using mockca::server::ServeEabManagement;
using mockca::wfe::EabKeys;
using nlohmann::json;

http::Request Request(const std::string& method, const std::string& target,
                      const std::string& body) {
  http::Request request;
  request.method = method;
  request.target = target;
  request.host = "localhost:15000";
  request.https = true;
  request.body = body;
  return request;
}

http::Response AddKey(EabKeys& keys, const std::string& body) {
  return ServeEabManagement(Request("POST", "/add-eab-key", body), keys);
}

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

TEST_CASE("POST /add-eab-key adds a base64url MAC key under its kid (S-EAB-04)", "[server][eab]") {
  EabKeys keys;
  const std::string mac_key(32, '\xfe');
  const http::Response response =
      AddKey(keys, json{{"kid", "kid-9"}, {"hmacKey", support::Base64Url(mac_key)}}.dump());
  CHECK(response.status == 200);
  CHECK(response.body.empty());
  CHECK(keys.Find("kid-9") == mac_key);
  SECTION("a second POST replaces the key") {
    REQUIRE(AddKey(keys, R"({"kid":"kid-9","hmacKey":"AQID"})").status == 200);
    CHECK(keys.Find("kid-9") == std::string("\x01\x02\x03"));
    CHECK(keys.size() == 1);
  }
}

TEST_CASE("POST /add-eab-key refuses bad bodies with 400 and a reason", "[server][eab]") {
  EabKeys keys;
  const std::string body = GENERATE(
      std::string(""), std::string("not json"), std::string("[1]"),
      std::string(R"({"hmacKey":"AQID"})"), std::string(R"({"kid":"k"})"),
      std::string(R"({"kid":7,"hmacKey":"AQID"})"), std::string(R"({"kid":"k","hmacKey":7})"),
      std::string(R"({"kid":"k","hmacKey":"AQI="})"),  // padding (pebble.md §1.2: unpadded)
      std::string(R"({"kid":"k","hmacKey":"AQ+/"})"),  // standard base64, not base64url
      std::string(R"({"kid":"k","hmacKey":""})"),      // an empty key
      std::string(R"({"kid":"","hmacKey":"AQID"})"),   // an empty kid
      std::string("{\"kid\":\"k\xc3\xa9\",\"hmacKey\":\"AQID\"}"));  // S-EAB-04: kids are ASCII
  const http::Response response = AddKey(keys, body);
  CHECK(response.status == 400);
  CHECK_FALSE(response.body.empty());
  CHECK(HeaderOf(response, "Content-Type").starts_with("text/plain"));
  CHECK(keys.size() == 0);
}

TEST_CASE("/add-eab-key takes only POST, other paths are 404", "[server][eab]") {
  EabKeys keys;
  const std::string body = R"({"kid":"k","hmacKey":"AQID"})";
  const http::Response get = ServeEabManagement(Request("GET", "/add-eab-key", body), keys);
  CHECK(get.status == 405);
  CHECK(HeaderOf(get, "Allow") == "POST");
  const http::Response other = ServeEabManagement(Request("POST", "/add-eab-keys", body), keys);
  CHECK(other.status == 404);
  CHECK(other.body.empty());
  CHECK(keys.size() == 0);
}

}  // namespace

}  // namespace eab_management_test
