#include "mockdns/wire/name.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace name_test {

namespace {

namespace wire = mockdns::wire;
using Labels = std::vector<std::string>;

// A name of `count` labels of `size` octets each plus one of `last` octets, without trailing dot.
std::string LongName(int count, std::size_t size, std::size_t last) {
  std::string name;
  for (int i = 0; i < count; ++i) {
    name += std::string(size, 'a') + ".";
  }
  return name + std::string(last, 'b');
}

struct LabelsCase {
  const char* name;
  const char* text;
  Labels want;
};

TEST_CASE("NameToLabels splits names and resolves escapes", "[wire][name]") {
  const LabelsCase cases[] = {
      {"root", ".", {}},
      {"fully qualified", "www.example.com.", {"www", "example", "com"}},
      {"trailing dot optional", "www.example.com", {"www", "example", "com"}},
      {"escaped dot", "a\\.b.example.", {"a.b", "example"}},
      {"escaped backslash", "a\\\\b.", {"a\\b"}},
      {"decimal escape", "\\065bc.", {"Abc"}},
      {"decimal escapes for zero and 255", "\\000\\255.", {std::string("\0\xff", 2)}},
      {"decimal escape at the end", "x\\033", {"x!"}},
      {"case kept", "ExAmple.", {"ExAmple"}},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto labels = wire::NameToLabels(tc.text);
      REQUIRE(labels.ok());
      CHECK(labels.value() == tc.want);
    }
  }
}

struct ErrorCase {
  const char* name;
  std::string text;
  const char* detail;
};

TEST_CASE("NameToLabels refuses invalid names", "[wire][name]") {
  const ErrorCase cases[] = {
      {"empty name", "", "empty name"},
      {"empty label", "a..b", "empty label"},
      {"leading dot", ".a", "empty label"},
      {"label of 64 octets", std::string(64, 'x') + ".example.", "label over 63 octets"},
      {"escaped octets count towards the label", "\\097" + std::string(63, 'x'), "label over 63"},
      {"name of 256 octets on the wire", LongName(3, 63, 62), "name over 255 octets"},
      {"name far over 255 octets", LongName(9, 60, 1), "name over 255 octets"},
      {"decimal escape over 255", "\\256.", "bad escape"},
      {"short decimal escape", "a\\06", "bad escape"},
      {"dangling backslash", "a\\", "bad escape"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto labels = wire::NameToLabels(tc.text);
      REQUIRE_FALSE(labels.ok());
      CHECK_THAT(labels.error(), Catch::Contains(tc.detail));
    }
  }
}

TEST_CASE("NameToLabels accepts a name of exactly 255 octets", "[wire][name]") {
  // 3 * (1 + 63) + (1 + 61) + 1 root octet = 255.
  const auto labels = wire::NameToLabels(LongName(3, 63, 61));
  REQUIRE(labels.ok());
  CHECK(labels.value().size() == 4);
  CHECK(labels.value()[0].size() == 63);
}

TEST_CASE("LabelsToName escapes special octets", "[wire][name]") {
  CHECK(wire::LabelsToName({}) == ".");
  CHECK(wire::LabelsToName({"www", "example"}) == "www.example.");
  CHECK(wire::LabelsToName({"a.b", "c\\d"}) == "a\\.b.c\\\\d.");
  CHECK(wire::LabelsToName({std::string("\0 \x7f\xff", 4)}) == "\\000\\032\\127\\255.");
}

TEST_CASE("Names with escapes survive NameToLabels and LabelsToName", "[wire][name]") {
  for (const char* text :
       {"a\\.b.example.", "\\000\\255x.example.", "back\\\\slash.", "sp\\032ace."}) {
    DYNAMIC_SECTION(text) {
      const auto labels = wire::NameToLabels(text);
      REQUIRE(labels.ok());
      CHECK(wire::LabelsToName(labels.value()) == text);
    }
  }
}

TEST_CASE("CanonicalName lowercases and fully qualifies", "[wire][name]") {
  CHECK(wire::CanonicalName("Example.COM") == "example.com.");
  CHECK(wire::CanonicalName("WWW.example.com.") == "www.example.com.");
  CHECK(wire::CanonicalName(".") == ".");
  CHECK(wire::CanonicalName("\\065\\066c.") == "abc.");
  CHECK(wire::CanonicalName("a\\.B.") == "a\\.b.");
}

TEST_CASE("CanonicalName of an invalid name is its lowercase text with a dot", "[wire][name]") {
  CHECK(wire::CanonicalName("A..B") == "a..b.");
  CHECK(wire::CanonicalName("") == ".");
}

TEST_CASE("IsValidName matches NameToLabels", "[wire][name]") {
  CHECK(wire::IsValidName("example.com"));
  CHECK(wire::IsValidName("_acme-challenge.example.com."));
  CHECK_FALSE(wire::IsValidName("a..b"));
  CHECK_FALSE(wire::IsValidName(""));
}

}  // namespace

}  // namespace name_test
