#include "mockdns/api/json_body.hpp"

#include <catch2/catch.hpp>

namespace json_body_test {

namespace {

using mockdns::api::JsonBody;

JsonBody MustParse(std::string_view text) {
  auto body = JsonBody::Parse(text);
  REQUIRE(body.ok());
  return std::move(body).value();
}

TEST_CASE("JsonBody refuses an empty, invalid or non-object body", "[api][json]") {
  const auto empty = JsonBody::Parse("");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error() == "expected JSON POST body, was empty");

  const auto invalid = JsonBody::Parse("{\"host\"");
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error() == "request body is not valid JSON");

  for (const char* text : {"[]", "null", "42", "\"s\"", "true"}) {
    DYNAMIC_SECTION(text) {
      const auto other = JsonBody::Parse(text);
      REQUIRE_FALSE(other.ok());
      CHECK(other.error() == "request body must be a JSON object");
    }
  }
}

TEST_CASE("JsonBody Field matches keys case-insensitively, exact first", "[api][json]") {
  const JsonBody body = MustParse(R"({"Host":"folded","value":"exact","VALUE":"other"})");
  REQUIRE(body.Field("host") != nullptr);
  CHECK(*body.Field("host") == "folded");
  REQUIRE(body.Field("VALUE") != nullptr);
  CHECK(*body.Field("VALUE") == "other");
  CHECK(*body.Field("value") == "exact");
  CHECK(*body.Field("Value") == "other");  // no exact match: the first folded key in sorted order
  CHECK(body.Field("hostname") == nullptr);
  CHECK(body.Field("hos") == nullptr);
}

TEST_CASE("JsonBody treats a null field as absent", "[api][json]") {
  const JsonBody body = MustParse(R"({"host":null})");
  CHECK(body.Field("host") == nullptr);
  const auto host = body.String("host");
  REQUIRE(host.ok());
  CHECK(host.value().empty());
}

TEST_CASE("JsonBody String gives empty for absent and an error for non-strings", "[api][json]") {
  const JsonBody body = MustParse(R"({"n":5,"s":"text","list":["a"]})");
  CHECK(body.String("s").value() == "text");
  CHECK(body.String("absent").value().empty());
  const auto number = body.String("n");
  REQUIRE_FALSE(number.ok());
  CHECK(number.error() == "field \"n\" must be a string");
  CHECK_FALSE(body.String("list").ok());
}

}  // namespace

}  // namespace json_body_test
