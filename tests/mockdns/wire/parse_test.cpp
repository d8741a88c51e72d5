#include "mockdns/wire/parse.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

namespace parse_test {

namespace {

namespace wire = mockdns::wire;
using wire::ParseError;
using Bytes = std::vector<std::uint8_t>;

// Hand-built messages: a header with the given counts, then raw octets.
Bytes Header(std::uint8_t qd, std::uint8_t an = 0, std::uint8_t ns = 0, std::uint8_t ar = 0) {
  // ID 0xABCD, flags RD, then the four section counts (each under 256 here).
  return {0xAB, 0xCD, 0x01, 0x00, 0, qd, 0, an, 0, ns, 0, ar};
}
Bytes Cat(Bytes bytes, std::initializer_list<Bytes> parts) {
  for (const auto& part : parts) {
    bytes.insert(bytes.end(), part.begin(), part.end());
  }
  return bytes;
}
Bytes Label(const std::string& text) {
  Bytes out(1 + text.size());
  out[0] = static_cast<std::uint8_t>(text.size());
  std::copy(text.begin(), text.end(), out.begin() + 1);
  return out;
}
const Bytes kExampleName = Cat(Label("example"), {Label("com"), {0}});  // 13 octets
const Bytes kTypeAClassIn = {0, 1, 0, 1};
// Record header after the owner name: type, class IN, TTL 60, rdlength.
Bytes RecordHead(std::uint16_t type, std::uint16_t rdlength) {
  return {static_cast<std::uint8_t>(type >> 8),
          static_cast<std::uint8_t>(type),
          0,
          1,
          0,
          0,
          0,
          60,
          static_cast<std::uint8_t>(rdlength >> 8),
          static_cast<std::uint8_t>(rdlength)};
}
// A name of `count` 63-octet labels and one of `last` octets.
Bytes LongName(int count, std::size_t last) {
  Bytes out;
  for (int i = 0; i < count; ++i) {
    out = Cat(out, {Label(std::string(63, 'a'))});
  }
  return Cat(out, {Label(std::string(last, 'b')), {0}});
}

struct BadCase {
  const char* name;
  Bytes bytes;
  ParseError want;
};

TEST_CASE("Parse rejects malformed messages with the specific error", "[wire][parse]") {
  // A question for example.com A, then one answer record whose name points back at it (0xC00C).
  const Bytes question = Cat(Header(1, 1), {kExampleName, kTypeAClassIn});
  const Bytes owner = {0xC0, 0x0C};
  const BadCase cases[] = {
      {"empty input", {}, ParseError::kTooShort},
      {"header of 11 octets", {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ParseError::kTooShort},
      {"pointer to itself", Cat(Header(1), {{0xC0, 0x0C}, kTypeAClassIn}), ParseError::kBadPointer},
      {"forward pointer", Cat(Header(1), {{0xC0, 0x12}, kTypeAClassIn, {0}}),
       ParseError::kBadPointer},
      {"pointer out of range", Cat(Header(1), {{0xFF, 0xFF}, kTypeAClassIn}),
       ParseError::kBadPointer},
      {"pointer into its own labels", Cat(Header(1), {Label("a"), {0xC0, 0x0D}, kTypeAClassIn}),
       ParseError::kBadPointer},
      // Answer 1 has raw rdata C0 2B C0 29 (offsets 41..44) forming a loop; answer 2 at offset 45
      // points back into it, and the loop is caught because one of its pointers goes forward.
      {"pointer loop",
       Cat(Header(1, 2), {kExampleName,
                          kTypeAClassIn,
                          owner,
                          RecordHead(0xFF00, 4),
                          {0xC0, 0x2B, 0xC0, 0x29},
                          {0xC0, 0x29},
                          RecordHead(1, 4),
                          {1, 2, 3, 4}}),
       ParseError::kBadPointer},
      {"pointer missing its second octet", Cat(Header(1), {{0xC0}}), ParseError::kTruncated},
      {"label type 01", Cat(Header(1), {{0x41}, Bytes(65, 'a'), {0}, kTypeAClassIn}),
       ParseError::kBadLabel},
      {"label type 10", Cat(Header(1), {{0x81, 'a', 0}, kTypeAClassIn}), ParseError::kBadLabel},
      {"label length 64", Cat(Header(1), {{64}, Bytes(64, 'a'), {0}, kTypeAClassIn}),
       ParseError::kBadLabel},
      {"name of 256 octets", Cat(Header(1), {LongName(3, 62), kTypeAClassIn}),
       ParseError::kNameTooLong},
      {"name over 255 octets through a pointer",
       Cat(Header(2), {LongName(3, 60), kTypeAClassIn, Label("xyz"), {0xC0, 0x0C}, kTypeAClassIn}),
       ParseError::kNameTooLong},
      {"question name without its end", Cat(Header(1), {Label("com")}), ParseError::kTruncated},
      {"label running past the end", Cat(Header(1), {{10, 'a', 'b'}}), ParseError::kTruncated},
      {"question without class", Cat(Header(1), {kExampleName, {0, 1}}), ParseError::kTruncated},
      {"missing question", Header(1), ParseError::kTruncated},
      {"missing answer record", Cat(Header(1, 1), {kExampleName, kTypeAClassIn}),
       ParseError::kTruncated},
      {"record header cut short", Cat(question, {owner, {0, 1, 0, 1, 0}}), ParseError::kTruncated},
      {"rdlength past the end", Cat(question, {owner, RecordHead(1, 10), {1, 2, 3, 4}}),
       ParseError::kTruncated},
      {"rdata cut short", Cat(question, {owner, RecordHead(28, 16), {1, 2, 3, 4}}),
       ParseError::kTruncated},
      {"A of 3 octets", Cat(question, {owner, RecordHead(1, 3), {1, 2, 3}}), ParseError::kBadRdata},
      {"A of 5 octets", Cat(question, {owner, RecordHead(1, 5), {1, 2, 3, 4, 5}}),
       ParseError::kBadRdata},
      {"AAAA of 4 octets", Cat(question, {owner, RecordHead(28, 4), {1, 2, 3, 4}}),
       ParseError::kBadRdata},
      {"TXT string past its rdata", Cat(question, {owner, RecordHead(16, 3), {5, 'a', 'b'}}),
       ParseError::kBadRdata},
      {"TXT string past rdata but inside the message",
       Cat(question, {owner, RecordHead(16, 2), {5, 'a', 'b', 'c', 'd', 'e'}}),
       ParseError::kBadRdata},
      {"TXT without any string", Cat(question, {owner, RecordHead(16, 0)}), ParseError::kBadRdata},
      {"CAA with tag length 0", Cat(question, {owner, RecordHead(257, 3), {0, 0, 'x'}}),
       ParseError::kBadRdata},
      {"CAA tag past its rdata", Cat(question, {owner, RecordHead(257, 3), {0, 5, 'x'}}),
       ParseError::kBadRdata},
      {"CNAME longer than its rdata",
       Cat(question, {owner, RecordHead(5, 2), Label("www"), {0xC0, 0x0C}}), ParseError::kBadRdata},
      {"MX without exchange", Cat(question, {owner, RecordHead(15, 1), {0}}),
       ParseError::kBadRdata},
      {"SOA without its numbers",
       Cat(question, {owner, RecordHead(6, 4), {0xC0, 0x0C, 0xC0, 0x0C}}), ParseError::kBadRdata},
      {"trailing data after the last record",
       Cat(question, {owner, RecordHead(1, 4), {1, 2, 3, 4}, {0}}), ParseError::kTrailingData},
      {"trailing data after the header", Cat(Header(0), {{0, 0}}), ParseError::kTrailingData},
      {"over 65535 octets", Cat(Header(0), {Bytes(65535 - 11, 0)}), ParseError::kTooLarge},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto parsed = wire::Parse(tc.bytes);
      REQUIRE_FALSE(parsed.ok());
      CHECK(wire::ParseErrorText(parsed.error()) == wire::ParseErrorText(tc.want));
    }
  }
}

TEST_CASE("Parse decodes a hand-built query", "[wire][parse]") {
  const Bytes bytes = Cat(Header(1), {kExampleName, {0, 16, 0, 1}});
  const auto parsed = wire::Parse(bytes);
  REQUIRE(parsed.ok());
  const wire::Message& message = parsed.value();
  CHECK(message.header.id == 0xABCD);
  CHECK(message.header.rd);
  CHECK_FALSE(message.header.qr);
  REQUIRE(message.questions.size() == 1);
  CHECK(message.questions[0] == wire::Question{"example.com.", wire::rrtype::kTxt, wire::kClassIn});
}

TEST_CASE("Parse follows a backward compression pointer", "[wire][parse]") {
  // Answer www.<ptr to example.com.> CNAME <ptr to example.com.>
  const Bytes bytes = Cat(
      Header(1, 1),
      {kExampleName, kTypeAClassIn, Label("www"), {0xC0, 0x0C}, RecordHead(5, 2), {0xC0, 0x0C}});
  const auto parsed = wire::Parse(bytes);
  REQUIRE(parsed.ok());
  REQUIRE(parsed.value().answers.size() == 1);
  const auto& answer = parsed.value().answers[0];
  CHECK(answer.name == "www.example.com.");
  CHECK(answer.ttl == 60);
  CHECK(answer.data == wire::Rdata(wire::NameData{"example.com."}));
}

TEST_CASE("Parse accepts a name of exactly 255 octets", "[wire][parse]") {
  const auto parsed = wire::Parse(Cat(Header(1), {LongName(3, 61), kTypeAClassIn}));
  REQUIRE(parsed.ok());
  CHECK(parsed.value().questions[0].name.size() == 254);
}

TEST_CASE("Parse decodes every header flag", "[wire][parse]") {
  Bytes bytes = Header(0);
  bytes[2] = 0xFF;  // QR, opcode 15, AA, TC, RD
  bytes[3] = 0xF5;  // RA, Z, AD, CD, rcode 5
  const auto parsed = wire::Parse(bytes);
  REQUIRE(parsed.ok());
  const wire::Header& h = parsed.value().header;
  CHECK(h.qr);
  CHECK(h.opcode == 15);
  CHECK((h.aa && h.tc && h.rd && h.ra && h.z && h.ad && h.cd));
  CHECK(h.rcode == 5);
}

TEST_CASE("PeekId reads the ID of any message of two octets or more", "[wire][parse]") {
  std::uint16_t id = 0;
  CHECK_FALSE(wire::PeekId(Bytes{}, &id));
  CHECK_FALSE(wire::PeekId(Bytes{0x12}, &id));
  REQUIRE(wire::PeekId(Bytes{0x12, 0x34}, &id));
  CHECK(id == 0x1234);
}

TEST_CASE("ParseErrorText gives a distinct text per error", "[wire][parse]") {
  const ParseError all[] = {ParseError::kTooShort,     ParseError::kTruncated,
                            ParseError::kBadLabel,     ParseError::kBadPointer,
                            ParseError::kNameTooLong,  ParseError::kBadRdata,
                            ParseError::kTrailingData, ParseError::kTooLarge};
  std::set<std::string_view> texts;
  for (const ParseError error : all) {
    texts.insert(wire::ParseErrorText(error));
  }
  CHECK(texts.size() == std::size(all));
  CHECK(wire::ParseErrorText(ParseError::kTooShort) == "message shorter than a header");
}

}  // namespace

}  // namespace parse_test
