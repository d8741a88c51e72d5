#include "mockca/jose/base64url.hpp"

#include <string>

#include <catch2/catch.hpp>

namespace base64url_test {

namespace {

using mockca::acme::ProblemType;
using mockca::jose::Base64UrlDecode;
using mockca::jose::Base64UrlEncode;

struct Vector {
  const char* name;
  std::string bytes;
  const char* text;
};

// RFC 4648 §10 test vectors, with the padding dropped (RFC 7515 §2), plus bytes that use the two
// characters where base64url differs from base64 ("-" for "+", "_" for "/").
TEST_CASE("Base64url encodes and decodes the RFC 4648 section 10 vectors without padding",
          "[jose][base64url]") {
  const Vector vectors[] = {
      {"empty", "", ""},
      {"f", "f", "Zg"},
      {"fo", "fo", "Zm8"},
      {"foo", "foo", "Zm9v"},
      {"foob", "foob", "Zm9vYg"},
      {"fooba", "fooba", "Zm9vYmE"},
      {"foobar", "foobar", "Zm9vYmFy"},
      {"minus and underscore", "\xfb\xff", "-_8"},
      {"all ones", "\xff\xff\xff", "____"},
      {"all minus", "\xfb\xef\xbe", "----"},
      {"zero bytes", std::string(4, '\0'), "AAAAAA"},
  };
  for (const auto& v : vectors) {
    DYNAMIC_SECTION(v.name) {
      CHECK(Base64UrlEncode(v.bytes) == v.text);
      const auto decoded = Base64UrlDecode(v.text, "test");
      REQUIRE(decoded.ok());
      CHECK(decoded.value() == v.bytes);
    }
  }
}

TEST_CASE("Base64url round-trips every byte value at every length remainder", "[jose][base64url]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes += static_cast<char>(i);
  }
  for (std::size_t length = 250; length <= 256; ++length) {
    const std::string input = bytes.substr(0, length);
    const auto decoded = Base64UrlDecode(Base64UrlEncode(input), "test");
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == input);
  }
}

struct Rejection {
  const char* name;
  std::string text;
  const char* detail;
};

// S-HTTP-04: padded values are malformed; so is anything outside the base64url alphabet.
TEST_CASE("Base64url decoding rejects padding, the base64 alphabet and impossible lengths",
          "[jose][base64url]") {
  const Rejection rejections[] = {
      {"two pad characters", "Zg==", "base64url must not be padded"},
      {"one pad character", "Zm8=", "base64url must not be padded"},
      {"pad after a whole group", "Zm9v=", "base64url must not be padded"},
      {"pad in the middle", "Zm=9v", "base64url must not be padded"},
      {"only padding", "====", "base64url must not be padded"},
      {"plus sign", "+/8", "invalid base64url character at offset 0"},
      {"slash", "-_8/", "invalid base64url character at offset 3"},
      {"space", "Zm 9v", "invalid base64url character at offset 2"},
      {"newline", "Zm9v\nYmFy", "invalid base64url character at offset 4"},
      {"non-ASCII", "Zm\xc3\xa9", "invalid base64url character at offset 2"},
      {"NUL", std::string("Zm\0v", 4), "invalid base64url character at offset 2"},
      {"period", "Zm9v.Zm9v", "invalid base64url character at offset 4"},
      {"length 1", "A", "is impossible (1 mod 4)"},
      {"length 5", "Zm9vY", "is impossible (1 mod 4)"},
  };
  for (const auto& r : rejections) {
    DYNAMIC_SECTION(r.name) {
      const auto decoded = Base64UrlDecode(r.text, "protected");
      REQUIRE_FALSE(decoded.ok());
      CHECK(decoded.error().type == ProblemType::kMalformed);
      CHECK(decoded.error().status == 400);
      CHECK_THAT(decoded.error().detail, Catch::StartsWith("field protected: "));
      CHECK_THAT(decoded.error().detail, Catch::Contains(r.detail));
    }
  }
}

TEST_CASE("Base64url decoding ignores non-zero trailing bits as RFC 4648 section 3.5 allows",
          "[jose][base64url]") {
  const auto decoded = Base64UrlDecode("Zh", "payload");  // "Zg" with a stray low bit
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == "f");
}

}  // namespace

}  // namespace base64url_test
