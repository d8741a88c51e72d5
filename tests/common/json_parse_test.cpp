#include "common/json_parse.hpp"

#include <string>

#include <catch2/catch.hpp>

namespace json_parse_test {

namespace {

std::string Nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_CASE("ParseJson accepts nesting up to the limit and refuses one level more",
          "[common][json]") {
  const auto at_limit = common::ParseJson(Nested(common::kMaxJsonDepth));
  REQUIRE(at_limit.ok());
  CHECK(at_limit->is_array());

  const auto over = common::ParseJson(Nested(common::kMaxJsonDepth + 1));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error() == "nests arrays and objects deeper than 64 levels");
}

TEST_CASE("ParseJson refuses a deep document before building it", "[common][json]") {
  // 200 000 levels: building and copying this tree recursively would overflow the stack.
  const auto deep = common::ParseJson(std::string(200000, '{'));
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().find("deeper") != std::string::npos);
}

TEST_CASE("ParseJson says when a text is not JSON", "[common][json]") {
  const auto invalid = common::ParseJson(R"({"a":)");
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error() == "is not valid JSON");
  CHECK_FALSE(common::ParseJson("").ok());
}

TEST_CASE("JsonNestingDepth does not count brackets inside strings", "[common][json]") {
  CHECK(common::JsonNestingDepth(R"({"a":[1,{"b":2}]})") == 3);
  CHECK(common::JsonNestingDepth(R"(["[[[[", "{{{"])") == 1);
  // An escaped quote does not end the string; the brackets after it are still inside it.
  CHECK(common::JsonNestingDepth(R"(["\"[[[[", 1])") == 1);
  CHECK(common::JsonNestingDepth(R"(["\\", [[]]])") == 3);
  CHECK(common::JsonNestingDepth("7") == 0);
}

TEST_CASE("JsonNestingDepth stops counting past the limit", "[common][json]") {
  CHECK(common::JsonNestingDepth(Nested(1000), 10) == 11);
  // Brackets inside strings stay uncounted however many there are.
  const std::string many_in_string = "[\"" + std::string(1000, '[') + "\"]";
  const auto parsed = common::ParseJson(many_in_string);
  REQUIRE(parsed.ok());
  CHECK(parsed->at(0).get<std::string>().size() == 1000);
}

}  // namespace json_parse_test
