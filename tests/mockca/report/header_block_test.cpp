// HeaderBlock: a recorded exchange's headers kept in one string.

#include "mockca/report/header_block.hpp"

#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

namespace header_block_test {

namespace {

using mockca::report::HeaderBlock;
using Header = HeaderBlock::Header;

std::vector<Header> All(const HeaderBlock& block) {
  return {block.begin(), block.end()};
}

}  // namespace

TEST_CASE("A header block keeps every header in order, names in their original case") {
  const std::vector<std::pair<std::string, std::string>> request = {
      {"Content-Type", "application/jose+json"},
      {"user-AGENT", "lego/4.9.1"},
      {"Accept-Language", ""},
      {"Content-Type", "text/plain"}};
  const HeaderBlock block(request);
  CHECK(block.size() == 4);
  CHECK_FALSE(block.empty());
  CHECK(All(block) == std::vector<Header>{{"Content-Type", "application/jose+json"},
                                          {"user-AGENT", "lego/4.9.1"},
                                          {"Accept-Language", ""},
                                          {"Content-Type", "text/plain"}});
  CHECK(block[1] == Header("user-AGENT", "lego/4.9.1"));
  // Each header costs its two lengths besides its bytes.
  CHECK(block.ByteSize() == 4 * 8 + 12 + 21 + 10 + 10 + 15 + 0 + 12 + 10);
}

TEST_CASE("First finds a header's first value by name in any case, and tells empty from absent") {
  HeaderBlock block = {{"Replay-Nonce", "a"}, {"replay-nonce", "b"}, {"Accept", ""}};
  block.emplace_back("Link", "<https://ca.test/dir>;rel=\"index\"");
  CHECK(block.First("REPLAY-NONCE") == "a");
  CHECK(block.First("accept") == "");
  CHECK_FALSE(block.First("Accept-Language").has_value());
  CHECK_FALSE(block.First("Accep").has_value());
  CHECK(block.First("link") == "<https://ca.test/dir>;rel=\"index\"");
  CHECK(block.size() == 4);
}

TEST_CASE("An empty header block has nothing to iterate") {
  const HeaderBlock block;
  CHECK(block.empty());
  CHECK(block.size() == 0);
  CHECK(block.begin() == block.end());
  CHECK(block.ByteSize() == 0);
  CHECK_FALSE(block.First("Host").has_value());
}

TEST_CASE("Names and values are kept byte for byte, a NUL or a colon included") {
  const std::string value("a\0b:c", 5);
  HeaderBlock block;
  block.emplace_back("X-Odd:Name", value);
  block.emplace_back("", "empty name");
  REQUIRE(block.size() == 2);
  CHECK(block[0] == Header("X-Odd:Name", value));
  CHECK(block[1] == Header("", "empty name"));
}

}  // namespace header_block_test
