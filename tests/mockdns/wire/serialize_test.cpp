#include "mockdns/wire/serialize.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mockdns/wire/name.hpp"
#include "mockdns/wire/parse.hpp"

namespace serialize_test {

namespace {

namespace wire = mockdns::wire;
namespace rrtype = wire::rrtype;
using wire::ResourceRecord;
using Bytes = std::vector<std::uint8_t>;

ResourceRecord Rr(std::string name, std::uint16_t type, wire::Rdata data, std::uint32_t ttl = 300) {
  return ResourceRecord{std::move(name), type, wire::kClassIn, ttl, std::move(data)};
}

wire::Message Response(std::string qname, std::uint16_t qtype) {
  wire::Message m;
  m.header.id = 0xBEEF;
  m.header.qr = true;
  m.header.aa = true;
  m.header.rd = true;
  m.header.ra = true;
  m.questions.push_back({std::move(qname), qtype, wire::kClassIn});
  return m;
}

Bytes MustSerialize(const wire::Message& m, std::size_t max_size = 65535) {
  auto bytes = wire::Serialize(m, max_size);
  REQUIRE(bytes.ok());
  return std::move(bytes).value();
}

wire::Message MustParse(const Bytes& bytes) {
  auto parsed = wire::Parse(bytes);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

// Octets a name takes on the wire without compression.
std::size_t WireLength(const std::string& name) {
  const auto labels = wire::NameToLabels(name);
  REQUIRE(labels.ok());
  std::size_t length = 1;
  for (const auto& label : labels.value()) {
    length += label.size() + 1;
  }
  return length;
}

struct RoundTripCase {
  const char* name;
  ResourceRecord record;
};

TEST_CASE("Parse of Serialize gives back the message for every record type", "[wire][serialize]") {
  const RoundTripCase cases[] = {
      {"A", Rr("example.com.", rrtype::kA, wire::AData{{192, 0, 2, 1}})},
      {"AAAA", Rr("example.com.", rrtype::kAaaa,
                  wire::AaaaData{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}})},
      {"CNAME", Rr("www.example.com.", rrtype::kCname, wire::NameData{"example.com."})},
      {"NS", Rr("example.com.", rrtype::kNs, wire::NameData{"ns1.example.net."})},
      {"PTR", Rr("1.2.0.192.in-addr.arpa.", rrtype::kPtr, wire::NameData{"example.com."})},
      {"MX", Rr("example.com.", rrtype::kMx, wire::MxData{10, "mail.example.com."})},
      {"SOA", Rr("example.com.", rrtype::kSoa,
                 wire::SoaData{"ns.example.com.", "admin.example.com.", 2024010101, 7200, 3600,
                               1209600, 300})},
      {"TXT single string", Rr("example.com.", rrtype::kTxt, wire::TxtData{{"v=spf1 -all"}})},
      {"TXT multi string",
       Rr("example.com.", rrtype::kTxt, wire::TxtData{{"first", std::string(255, 'x'), "third"}})},
      {"TXT empty string", Rr("example.com.", rrtype::kTxt, wire::TxtData{{""}})},
      {"TXT with empty strings between",
       Rr("example.com.", rrtype::kTxt, wire::TxtData{{"a", "", "b"}})},
      {"CAA", Rr("example.com.", rrtype::kCaa, wire::CaaData{128, "issue", "letsencrypt.org"})},
      {"CAA empty value", Rr("example.com.", rrtype::kCaa, wire::CaaData{0, "issuewild", ""})},
      {"OPT with raw options",
       ResourceRecord{".", rrtype::kOpt, 1232, 0x00008000,
                      wire::RawData{{0x00, 0x0A, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8}}}},
      {"OPT without options", ResourceRecord{".", rrtype::kOpt, 4096, 0, wire::RawData{}}},
      {"unknown type raw rdata",
       Rr("example.com.", 65280, wire::RawData{{0xDE, 0xAD, 0xBE, 0xEF}})},
      {"unknown type empty rdata", Rr("example.com.", 99, wire::RawData{})},
      {"escaped owner name",
       Rr("a\\.b.\\000\\255x.example.", rrtype::kA, wire::AData{{1, 2, 3, 4}})},
      {"root owner name", Rr(".", rrtype::kNs, wire::NameData{"a.root-servers.net."})},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      wire::Message m = Response("example.com.", tc.record.type);
      if (tc.record.type == rrtype::kOpt) {
        m.additionals.push_back(tc.record);
      } else {
        m.answers.push_back(tc.record);
      }
      CHECK(MustParse(MustSerialize(m)) == m);
    }
  }
}

TEST_CASE("A message with every section round-trips", "[wire][serialize]") {
  wire::Message m = Response("www.example.com.", rrtype::kA);
  m.header.opcode = 0;
  m.header.ad = true;
  m.header.cd = true;
  m.header.rcode = 3;
  m.answers = {Rr("www.example.com.", rrtype::kCname, wire::NameData{"example.com."}),
               Rr("example.com.", rrtype::kA, wire::AData{{10, 0, 0, 1}}),
               Rr("example.com.", rrtype::kA, wire::AData{{10, 0, 0, 2}}, 0)};
  m.authorities = {Rr("example.com.", rrtype::kSoa,
                      wire::SoaData{"ns.example.com.", "hostmaster.example.com.", 1, 2, 3, 4, 5})};
  m.additionals = {Rr("ns.example.com.", rrtype::kAaaa, wire::AaaaData{}),
                   ResourceRecord{".", rrtype::kOpt, 1232, 0, wire::RawData{}}};
  CHECK(MustParse(MustSerialize(m)) == m);
}

TEST_CASE("Serialize compresses repeated names", "[wire][serialize][compression]") {
  wire::Message m = Response("www.example.com.", rrtype::kMx);
  m.answers = {Rr("www.example.com.", rrtype::kMx, wire::MxData{10, "mail.example.com."}),
               Rr("www.example.com.", rrtype::kCname, wire::NameData{"example.com."})};
  const Bytes bytes = MustSerialize(m);

  std::size_t uncompressed = 12 + WireLength("www.example.com.") + 4;
  uncompressed += WireLength("www.example.com.") + 10 + 2 + WireLength("mail.example.com.");
  uncompressed += WireLength("www.example.com.") + 10 + WireLength("example.com.");
  CHECK(bytes.size() < uncompressed);

  // The question name sits at offset 12; the first answer's owner right after the question is a
  // pointer to it.
  const std::size_t owner_at = 12 + WireLength("www.example.com.") + 4;
  REQUIRE(bytes.size() > owner_at + 1);
  CHECK(bytes[owner_at] == 0xC0);
  CHECK(bytes[owner_at + 1] == 0x0C);
  CHECK(MustParse(bytes) == m);
}

TEST_CASE("Serialize compresses names case-insensitively", "[wire][serialize][compression]") {
  wire::Message m = Response("WWW.Example.COM.", rrtype::kA);
  m.answers = {Rr("www.example.com.", rrtype::kA, wire::AData{{10, 0, 0, 1}})};
  const Bytes bytes = MustSerialize(m);

  const std::size_t owner_at = 12 + WireLength("www.example.com.") + 4;
  REQUIRE(bytes.size() == owner_at + 2 + 10 + 4);
  CHECK(bytes[owner_at] == 0xC0);
  CHECK(bytes[owner_at + 1] == 0x0C);
  // The pointer carries the first spelling; names compare equal case-insensitively.
  const wire::Message back = MustParse(bytes);
  CHECK(wire::CanonicalName(back.answers[0].name) == "www.example.com.");
}

TEST_CASE("Serialize leaves unknown rdata uncompressed", "[wire][serialize][compression]") {
  // RFC 3597: rdata of unknown types is opaque, so its octets are copied verbatim.
  const Bytes raw = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0};
  wire::Message m = Response("example.com.", 65280);
  m.answers = {Rr("example.com.", 65280, wire::RawData{raw})};
  const Bytes bytes = MustSerialize(m);
  CHECK(std::search(bytes.begin() + 12 + 13, bytes.end(), raw.begin(), raw.end()) != bytes.end());
}

TEST_CASE("Serialize truncates an oversized UDP response to question and OPT",
          "[wire][serialize]") {
  wire::Message m = Response("big.example.", rrtype::kTxt);
  for (int i = 0; i < 30; ++i) {
    m.answers.push_back(
        Rr("big.example.", rrtype::kTxt, wire::TxtData{{std::string(100, 'a' + i % 26)}}));
  }
  m.authorities.push_back(Rr("example.", rrtype::kNs, wire::NameData{"ns.example."}));
  const ResourceRecord opt{".", rrtype::kOpt, 1232, 0x8000, wire::RawData{}};
  m.additionals = {Rr("ns.example.", rrtype::kA, wire::AData{{1, 1, 1, 1}}), opt};

  const Bytes full = MustSerialize(m);
  REQUIRE(full.size() > 512);
  CHECK_FALSE(MustParse(full).header.tc);

  const Bytes bytes = MustSerialize(m, 512);
  CHECK(bytes.size() <= 512);
  const wire::Message back = MustParse(bytes);
  CHECK(back.header.tc);
  CHECK(back.header.id == m.header.id);
  CHECK(back.questions == m.questions);
  CHECK(back.answers.empty());
  CHECK(back.authorities.empty());
  REQUIRE(back.additionals.size() == 1);
  CHECK(back.additionals[0] == opt);
}

TEST_CASE("Serialize does not truncate a response that fits", "[wire][serialize]") {
  wire::Message m = Response("small.example.", rrtype::kA);
  m.answers = {Rr("small.example.", rrtype::kA, wire::AData{{10, 0, 0, 1}})};
  const wire::Message back = MustParse(MustSerialize(m, 512));
  CHECK_FALSE(back.header.tc);
  CHECK(back == m);
}

struct ErrorCase {
  const char* name;
  ResourceRecord record;
  const char* detail;
};

TEST_CASE("Serialize refuses what cannot be encoded", "[wire][serialize]") {
  const ErrorCase cases[] = {
      {"character-string of 256 octets",
       Rr("a.", rrtype::kTxt, wire::TxtData{{std::string(256, 'x')}}),
       "character-string over 255 octets"},
      {"empty CAA tag", Rr("a.", rrtype::kCaa, wire::CaaData{0, "", "x"}), "empty CAA tag"},
      {"CAA tag of 256 octets",
       Rr("a.", rrtype::kCaa, wire::CaaData{0, std::string(256, 't'), "x"}), "over 255 octets"},
      {"owner with an empty label", Rr("a..b.", rrtype::kA, wire::AData{}), "empty label"},
      {"CNAME target with a long label",
       Rr("a.", rrtype::kCname, wire::NameData{std::string(64, 'x')}), "label over 63"},
      {"rdata over 65535 octets", Rr("a.", 65280, wire::RawData{Bytes(65536, 0)}),
       "rdata over 65535"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      wire::Message m = Response("a.", tc.record.type);
      m.answers.push_back(tc.record);
      const auto bytes = wire::Serialize(m);
      REQUIRE_FALSE(bytes.ok());
      CHECK_THAT(bytes.error(), Catch::Contains(tc.detail));
    }
  }
}

TEST_CASE("Serialize refuses an invalid question name", "[wire][serialize]") {
  const auto bytes = wire::Serialize(Response("bad..name.", rrtype::kA));
  REQUIRE_FALSE(bytes.ok());
  CHECK_THAT(bytes.error(), Catch::Contains("empty label"));
}

}  // namespace

}  // namespace serialize_test
