#include "common/ascii.hpp"

#include <catch2/catch.hpp>

namespace ascii_test {

TEST_CASE("ASCII folding lowers A-Z only", "[common][ascii]") {
  CHECK(common::AsciiLower("Mixed.EXAMPLE-1") == "mixed.example-1");
  CHECK(common::AsciiLower("\xC3\x84") == "\xC3\x84");  // non-ASCII bytes are untouched
  CHECK(common::EqualsIgnoreCase("Content-Type", "content-TYPE"));
  CHECK_FALSE(common::EqualsIgnoreCase("abc", "abd"));
  CHECK_FALSE(common::EqualsIgnoreCase("abc", "abcd"));
}

}  // namespace ascii_test
