#include "mockdns/api/dns_exchange.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mockdns/wire/parse.hpp"
#include "tests/support/dns_query.hpp"

namespace dns_exchange_test {

namespace {

namespace wire = mockdns::wire;
namespace rrtype = wire::rrtype;
using mockdns::api::DnsTransport;
using mockdns::api::ExchangeDns;
using support::MakeQuery;
using support::ToBytes;
using support::WithOpt;
using Bytes = std::vector<std::uint8_t>;

struct Server {
  mockdns::zone::Zone zone;
  mockdns::zone::RequestHistory history;

  Bytes Exchange(const Bytes& query, DnsTransport transport = DnsTransport::kUdp,
                 const std::string& user_agent = "") {
    return ExchangeDns(query, transport, user_agent, zone, history);
  }
};

wire::Message MustParse(const Bytes& bytes) {
  auto parsed = wire::Parse(bytes);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

TEST_CASE("ExchangeDns answers a query from the zone", "[api][exchange]") {
  Server s;
  s.zone.Update([](mockdns::zone::ZoneData& d) { d.a["host.example."] = {"10.0.0.7"}; });
  const wire::Message reply =
      MustParse(s.Exchange(ToBytes(MakeQuery("host.example.", rrtype::kA, 77))));
  CHECK(reply.header.id == 77);
  CHECK(reply.header.qr);
  CHECK(reply.header.rcode == 0);
  REQUIRE(reply.answers.size() == 1);
  CHECK(reply.answers[0].data == wire::Rdata(wire::AData{{10, 0, 0, 7}}));
}

TEST_CASE("ExchangeDns sends nothing for under two octets", "[api][exchange]") {
  Server s;
  CHECK(s.Exchange({}).empty());
  CHECK(s.Exchange({0x12}).empty());
}

TEST_CASE("ExchangeDns never answers a response", "[api][exchange]") {
  Server s;
  wire::Message response = MakeQuery("example.com.", rrtype::kA);
  response.header.qr = true;
  CHECK(s.Exchange(ToBytes(response)).empty());
  CHECK(s.history.Dns("example.com").empty());
}

TEST_CASE("ExchangeDns answers a malformed query with FORMERR echoing its ID", "[api][exchange]") {
  Server s;
  const Bytes cases[] = {
      {0xAB, 0xCD},
      {0xAB, 0xCD, 0x01, 0x00, 0x00},
      {0xAB, 0xCD, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x0C, 0, 1, 0,
       1},
  };
  for (const auto& query : cases) {
    const wire::Message reply = MustParse(s.Exchange(query));
    CHECK(reply.header.id == 0xABCD);
    CHECK(reply.header.qr);
    CHECK(reply.header.rcode == 1);
  }
}

TEST_CASE("ExchangeDns refuses a query over kMaxQuerySize with FORMERR", "[api][exchange]") {
  Server s;
  // A well-formed query padded with a large EDNS option: valid, but too big to be a real query.
  const wire::Message query = WithOpt(MakeQuery("example.com.", rrtype::kA, 0x0BAD), 1232, 0,
                                      Bytes(mockdns::api::kMaxQuerySize, 0));
  const Bytes bytes = ToBytes(query);
  REQUIRE(bytes.size() > mockdns::api::kMaxQuerySize);
  const wire::Message reply = MustParse(s.Exchange(bytes, DnsTransport::kTcp));
  CHECK(reply.header.id == 0x0BAD);
  CHECK(reply.header.rcode == 1);
  CHECK(reply.answers.empty());
}

TEST_CASE("ExchangeDns truncates a large answer over UDP without EDNS", "[api][exchange]") {
  Server s;
  s.zone.Update([](mockdns::zone::ZoneData& d) {
    for (int i = 0; i < 20; ++i) {
      d.txt["big.example."].push_back(std::string(100, static_cast<char>('a' + i)));
    }
  });
  const Bytes query = ToBytes(MakeQuery("big.example.", rrtype::kTxt, 9));

  SECTION("UDP without EDNS: TC, no answers, at most 512 octets") {
    const Bytes bytes = s.Exchange(query, DnsTransport::kUdp);
    CHECK(bytes.size() <= 512);
    const wire::Message reply = MustParse(bytes);
    CHECK(reply.header.tc);
    CHECK(reply.header.id == 9);
    CHECK(reply.answers.empty());
    REQUIRE(reply.questions.size() == 1);
    CHECK(reply.questions[0].name == "big.example.");
  }
  SECTION("UDP with a 4096 octet EDNS payload: whole") {
    const wire::Message reply = MustParse(s.Exchange(
        ToBytes(WithOpt(MakeQuery("big.example.", rrtype::kTxt), 4096)), DnsTransport::kUdp));
    CHECK_FALSE(reply.header.tc);
    CHECK(reply.answers.size() == 20);
  }
  SECTION("TCP: whole") {
    const Bytes bytes = s.Exchange(query, DnsTransport::kTcp);
    CHECK(bytes.size() > 512);
    const wire::Message reply = MustParse(bytes);
    CHECK_FALSE(reply.header.tc);
    CHECK(reply.answers.size() == 20);
  }
  SECTION("HTTPS: whole") {
    const wire::Message reply = MustParse(s.Exchange(query, DnsTransport::kHttps));
    CHECK_FALSE(reply.header.tc);
    CHECK(reply.answers.size() == 20);
  }
}

TEST_CASE("ExchangeDns records each question with the user agent", "[api][exchange]") {
  Server s;
  wire::Message query = MakeQuery("_acme-challenge.Example.com.", rrtype::kTxt);
  query.questions.push_back({"other.example.", rrtype::kCaa, wire::kClassIn});
  (void)s.Exchange(ToBytes(query), DnsTransport::kHttps, "curl/7.88");

  const auto events = s.history.Dns("_acme-challenge.example.com");
  REQUIRE(events.size() == 1);
  CHECK(events[0].question == query.questions[0]);
  CHECK(events[0].user_agent == "curl/7.88");
  REQUIRE(s.history.Dns("other.example").size() == 1);
  CHECK(s.history.Dns("other.example")[0].question.type == rrtype::kCaa);
}

TEST_CASE("ExchangeDns records nothing for a malformed query", "[api][exchange]") {
  Server s;
  Bytes bytes = ToBytes(MakeQuery("example.com.", rrtype::kA));
  bytes.push_back(0);  // trailing data
  CHECK(MustParse(s.Exchange(bytes)).header.rcode == 1);
  CHECK(s.history.Dns("example.com").empty());
}

}  // namespace

}  // namespace dns_exchange_test
