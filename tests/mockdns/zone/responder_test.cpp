#include "mockdns/zone/responder.hpp"

#include <array>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/dns_query.hpp"

namespace responder_test {

namespace {

namespace wire = mockdns::wire;
namespace rrtype = wire::rrtype;
using mockdns::zone::Respond;
using mockdns::zone::ZoneData;
using support::MakeQuery;

wire::Rdata A(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return wire::AData{{a, b, c, d}};
}
wire::Rdata Aaaa(std::array<std::uint8_t, 16> address) {
  return wire::AaaaData{address};
}
constexpr std::array<std::uint8_t, 16> kLoopback6 = {0, 0, 0, 0, 0, 0, 0, 0,
                                                     0, 0, 0, 0, 0, 0, 0, 1};
constexpr std::array<std::uint8_t, 16> kDocumentation6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                                          0,    0,    0,    0,    0, 0, 0, 7};

std::vector<wire::Rdata> AnswerData(const wire::Message& reply) {
  std::vector<wire::Rdata> out;
  for (const auto& answer : reply.answers) {
    out.push_back(answer.data);
  }
  return out;
}

TEST_CASE("Respond answers A with the default IPv4 when there are no records", "[zone][respond]") {
  const wire::Message reply = Respond(MakeQuery("anything.example.", rrtype::kA), ZoneData{});
  CHECK(reply.header.rcode == 0);
  REQUIRE(reply.answers.size() == 1);
  CHECK(reply.answers[0].name == "anything.example.");
  CHECK(reply.answers[0].type == rrtype::kA);
  CHECK(reply.answers[0].klass == wire::kClassIn);
  CHECK(reply.answers[0].data == A(127, 0, 0, 1));
}

TEST_CASE("Respond prefers explicit A records over the default", "[zone][respond]") {
  ZoneData data;
  data.default_ipv4 = "10.9.9.9";
  data.a["host.example."] = {"10.0.0.1", "10.0.0.2"};
  CHECK(AnswerData(Respond(MakeQuery("host.example.", rrtype::kA), data)) ==
        std::vector<wire::Rdata>{A(10, 0, 0, 1), A(10, 0, 0, 2)});
  CHECK(AnswerData(Respond(MakeQuery("other.example.", rrtype::kA), data)) ==
        std::vector<wire::Rdata>{A(10, 9, 9, 9)});
}

TEST_CASE("Respond gives no A answer when the default IPv4 is empty", "[zone][respond]") {
  ZoneData data;
  data.default_ipv4 = "";
  const wire::Message reply = Respond(MakeQuery("host.example.", rrtype::kA), data);
  CHECK(reply.header.rcode == 0);
  CHECK(reply.answers.empty());
}

TEST_CASE("Respond answers AAAA from records, then the default IPv6", "[zone][respond]") {
  ZoneData data;
  CHECK(AnswerData(Respond(MakeQuery("host.example.", rrtype::kAaaa), data)) ==
        std::vector<wire::Rdata>{Aaaa(kLoopback6)});
  data.aaaa["host.example."] = {"2001:db8::7"};
  CHECK(AnswerData(Respond(MakeQuery("host.example.", rrtype::kAaaa), data)) ==
        std::vector<wire::Rdata>{Aaaa(kDocumentation6)});
  data.default_ipv6 = "";
  CHECK(Respond(MakeQuery("other.example.", rrtype::kAaaa), data).answers.empty());
}

TEST_CASE("Respond gives an IP literal question no address answer", "[zone][respond]") {
  for (const char* name : {"127.0.0.1.", "192.0.2.1", "::1."}) {
    DYNAMIC_SECTION(name) {
      const auto a = Respond(MakeQuery(name, rrtype::kA), ZoneData{});
      CHECK(a.header.rcode == 0);
      CHECK(a.answers.empty());
      CHECK(Respond(MakeQuery(name, rrtype::kAaaa), ZoneData{}).answers.empty());
    }
  }
}

TEST_CASE("Respond answers each TXT value as one record", "[zone][respond]") {
  ZoneData data;
  data.txt["_acme-challenge.example.com."] = {"first", "second"};
  const auto reply = Respond(MakeQuery("_acme-challenge.example.com.", rrtype::kTxt), data);
  CHECK(AnswerData(reply) ==
        std::vector<wire::Rdata>{wire::TxtData{{"first"}}, wire::TxtData{{"second"}}});
  CHECK(Respond(MakeQuery("example.com.", rrtype::kTxt), data).answers.empty());
}

TEST_CASE("Respond splits a TXT value over 255 octets into strings", "[zone][respond]") {
  ZoneData data;
  data.txt["long.example."] = {std::string(300, 'v')};
  const auto reply = Respond(MakeQuery("long.example.", rrtype::kTxt), data);
  REQUIRE(reply.answers.size() == 1);
  CHECK(reply.answers[0].data ==
        wire::Rdata(wire::TxtData{{std::string(255, 'v'), std::string(45, 'v')}}));
}

TEST_CASE("Respond answers CAA with flags, tag and value", "[zone][respond]") {
  ZoneData data;
  data.caa["example.com."] = {{128, "issue", "letsencrypt.org"},
                              {0, "iodef", "mailto:x@example.com"}};
  const auto reply = Respond(MakeQuery("example.com.", rrtype::kCaa), data);
  CHECK(AnswerData(reply) ==
        std::vector<wire::Rdata>{wire::CaaData{128, "issue", "letsencrypt.org"},
                                 wire::CaaData{0, "iodef", "mailto:x@example.com"}});
}

TEST_CASE("Respond follows a CNAME chain and answers each link", "[zone][respond][cname]") {
  ZoneData data;
  data.cname["a.example."] = "b.example.";
  data.cname["b.example."] = "c.example.";
  data.a["c.example."] = {"10.0.0.3"};
  const auto reply = Respond(MakeQuery("A.example.", rrtype::kA), data);
  REQUIRE(reply.answers.size() == 3);
  CHECK(reply.answers[0].name == "A.example.");
  CHECK(reply.answers[0].type == rrtype::kCname);
  CHECK(reply.answers[0].data == wire::Rdata(wire::NameData{"b.example."}));
  CHECK(reply.answers[1].name == "b.example.");
  CHECK(reply.answers[1].data == wire::Rdata(wire::NameData{"c.example."}));
  CHECK(reply.answers[2].name == "c.example.");
  CHECK(reply.answers[2].type == rrtype::kA);
  CHECK(reply.answers[2].data == A(10, 0, 0, 3));
}

TEST_CASE("Respond answers a CNAME question with the CNAME only", "[zone][respond][cname]") {
  ZoneData data;
  data.cname["a.example."] = "b.example.";
  data.txt["b.example."] = {"not followed"};
  const auto reply = Respond(MakeQuery("a.example.", rrtype::kCname), data);
  REQUIRE(reply.answers.size() == 1);
  CHECK(reply.answers[0].type == rrtype::kCname);
  CHECK(reply.answers[0].data == wire::Rdata(wire::NameData{"b.example."}));
  CHECK(Respond(MakeQuery("b.example.", rrtype::kCname), data).answers.empty());
}

TEST_CASE("Respond bounds a CNAME loop", "[zone][respond][cname]") {
  ZoneData data;
  data.cname["a.example."] = "b.example.";
  data.cname["b.example."] = "a.example.";
  for (const std::uint16_t qtype : {rrtype::kA, rrtype::kTxt}) {
    DYNAMIC_SECTION("qtype " << qtype) {
      const auto reply = Respond(MakeQuery("a.example.", qtype), data);
      CHECK(reply.header.rcode == 0);
      // The chain ends with what was found: CNAMEs only, no address for a name that owns a CNAME.
      REQUIRE(reply.answers.size() == static_cast<std::size_t>(mockdns::zone::kMaxCnameChain));
      for (const auto& answer : reply.answers) {
        CHECK(answer.type == rrtype::kCname);
      }
    }
  }
}

TEST_CASE("Respond follows a chain of exactly kMaxCnameChain links", "[zone][respond][cname]") {
  ZoneData data;
  const int links = mockdns::zone::kMaxCnameChain;
  for (int i = 0; i < links; ++i) {
    data.cname["n" + std::to_string(i) + ".example."] = "n" + std::to_string(i + 1) + ".example.";
  }
  data.a["n" + std::to_string(links) + ".example."] = {"10.0.0.8"};
  const auto reply = Respond(MakeQuery("n0.example.", rrtype::kA), data);
  REQUIRE(reply.answers.size() == static_cast<std::size_t>(links) + 1);
  CHECK(reply.answers.back().data == A(10, 0, 0, 8));

  // One link more and the chain is cut: no address.
  data.cname["n" + std::to_string(links) + ".example."] = "last.example.";
  const auto cut = Respond(MakeQuery("n0.example.", rrtype::kA), data);
  REQUIRE(cut.answers.size() == static_cast<std::size_t>(links));
  CHECK(cut.answers.back().type == rrtype::kCname);
}

TEST_CASE("Respond answers SERVFAIL for a CNAME target set to SERVFAIL", "[zone][respond][cname]") {
  ZoneData data;
  data.cname["a.example."] = "b.example.";
  data.servfail.insert("b.example.");
  CHECK(Respond(MakeQuery("a.example.", rrtype::kA), data).header.rcode == 2);
}

TEST_CASE("Respond matches names case-insensitively", "[zone][respond]") {
  ZoneData data;
  data.txt["example.com."] = {"hello"};
  data.a["example.com."] = {"10.1.2.3"};
  const auto txt = Respond(MakeQuery("EXAMPLE.com.", rrtype::kTxt), data);
  REQUIRE(txt.answers.size() == 1);
  CHECK(txt.answers[0].name == "EXAMPLE.com.");
  CHECK(txt.answers[0].data == wire::Rdata(wire::TxtData{{"hello"}}));
  CHECK(AnswerData(Respond(MakeQuery("Example.Com", rrtype::kA), data)) ==
        std::vector<wire::Rdata>{A(10, 1, 2, 3)});
}

struct RcodeCase {
  const char* name;
  wire::Message query;
  std::uint8_t rcode;
};

TEST_CASE("Respond picks the rcode challtestsrv would", "[zone][respond][rcode]") {
  ZoneData data;
  data.a["fail.example."] = {"10.0.0.1"};
  data.txt["fail.example."] = {"x"};
  data.servfail.insert("fail.example.");
  data.nxdomain.insert("gone.example.");
  data.nxdomain.insert("fail.example.");
  wire::Message status = MakeQuery("example.com.", rrtype::kA);
  status.header.opcode = 2;
  wire::Message no_question = MakeQuery("x.", rrtype::kA);
  no_question.questions.clear();

  const RcodeCase cases[] = {
      {"SERVFAIL overrides records and NXDOMAIN", MakeQuery("FAIL.example.", rrtype::kA), 2},
      {"SERVFAIL for TXT too", MakeQuery("fail.example.", rrtype::kTxt), 2},
      {"NXDOMAIN", MakeQuery("gone.example.", rrtype::kA), 3},
      {"NXDOMAIN for TXT", MakeQuery("Gone.Example.", rrtype::kTxt), 3},
      {"MX is not implemented", MakeQuery("example.com.", rrtype::kMx), 4},
      {"SOA is not implemented", MakeQuery("example.com.", rrtype::kSoa), 4},
      {"NS is not implemented", MakeQuery("example.com.", rrtype::kNs), 4},
      {"opcode STATUS is not implemented", status, 4},
      {"no question is a format error", no_question, 1},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const wire::Message reply = Respond(tc.query, data);
      CHECK(reply.header.rcode == tc.rcode);
      CHECK(reply.answers.empty());
      CHECK(reply.header.qr);
      // Every reply carries the challtestsrv SOA in its authority section.
      REQUIRE(reply.authorities.size() == 1);
      CHECK(reply.authorities[0].name == "challtestsrv.invalid.");
      CHECK(reply.authorities[0].type == rrtype::kSoa);
    }
  }
}

TEST_CASE("Respond uses TTL 0, the default TTL or the per-name TTL", "[zone][respond][ttl]") {
  ZoneData data;
  data.txt["t.example."] = {"v"};
  CHECK(Respond(MakeQuery("t.example.", rrtype::kTxt), data).answers.at(0).ttl == 0);

  data.default_ttl = 60;
  CHECK(Respond(MakeQuery("t.example.", rrtype::kTxt), data).answers.at(0).ttl == 60);
  CHECK(Respond(MakeQuery("x.example.", rrtype::kA), data).answers.at(0).ttl == 60);

  data.ttl["t.example."] = 300;
  CHECK(Respond(MakeQuery("T.example.", rrtype::kTxt), data).answers.at(0).ttl == 300);
  CHECK(Respond(MakeQuery("t.example.", rrtype::kA), data).answers.at(0).ttl == 300);
  CHECK(Respond(MakeQuery("x.example.", rrtype::kA), data).answers.at(0).ttl == 60);
}

TEST_CASE("Respond gives each CNAME link the TTL of its owner", "[zone][respond][ttl]") {
  ZoneData data;
  data.cname["a.example."] = "b.example.";
  data.ttl["a.example."] = 30;
  data.ttl["b.example."] = 90;
  const auto reply = Respond(MakeQuery("a.example.", rrtype::kA), data);
  REQUIRE(reply.answers.size() == 2);
  CHECK(reply.answers[0].ttl == 30);
  CHECK(reply.answers[1].ttl == 90);
}

}  // namespace

TEST_CASE("Respond answers NXDOMAIN when a CNAME target is NXDOMAIN", "[zone][respond][cname]") {
  ZoneData data;
  data.cname["alias.example."] = "gone.example.";
  data.nxdomain.insert("gone.example.");
  const wire::Message reply = Respond(MakeQuery("alias.example.", rrtype::kA), data);
  CHECK(reply.header.rcode == 3);
  REQUIRE(reply.answers.size() == 1);
  CHECK(reply.answers[0].type == rrtype::kCname);
}

}  // namespace responder_test
