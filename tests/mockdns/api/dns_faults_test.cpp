// DNS fault injection over the exchange shared by UDP, TCP and DoH: the issue's "DNS: SERVFAIL,
// NXDOMAIN, REFUSED, timeout, truncation, wrong answers, delays" (conformance.md Part C has no DNS
// IDs of its own).
#include "mockdns/api/dns_faults.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "faults/fault_engine.hpp"
#include "faults/fault_rule.hpp"
#include "mockdns/api/dns_exchange.hpp"
#include "mockdns/wire/parse.hpp"
#include "tests/support/dns_query.hpp"

namespace dns_faults_test {

namespace {

namespace wire = mockdns::wire;
namespace rrtype = wire::rrtype;
using mockdns::api::DnsReply;
using mockdns::api::DnsTransport;
using mockdns::api::ExchangeDns;
using support::MakeQuery;
using support::ToBytes;
using support::WithOpt;
using Bytes = std::vector<std::uint8_t>;

struct Server {
  Server() {
    zone.Update([](mockdns::zone::ZoneData& d) {
      d.a["host.example."] = {"10.0.0.7"};
      d.txt["_acme-challenge.host.example."] = {"real-token"};
    });
  }

  // Adds one rule from its JSON form; fails the test when it does not parse or add.
  std::string Rule(const std::string& json) {
    auto rule = faults::ParseFaultRule(nlohmann::json::parse(json));
    REQUIRE(rule.ok());
    auto id = engine.Add(std::move(rule).value());
    REQUIRE(id.ok());
    return id.value();
  }

  DnsReply Exchange(const wire::Message& query, DnsTransport transport = DnsTransport::kUdp) {
    return ExchangeDns(ToBytes(query), transport, "", zone, history, &engine);
  }

  common::FakeClock clock{std::chrono::system_clock::time_point{}};
  faults::FaultEngine engine{7, clock};
  mockdns::zone::Zone zone;
  mockdns::zone::RequestHistory history;
};

wire::Message MustParse(const Bytes& bytes) {
  REQUIRE_FALSE(bytes.empty());
  auto parsed = wire::Parse(bytes);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

const wire::Message kAQuery = MakeQuery("host.example.", rrtype::kA, 41);
const wire::Message kTxtQuery = MakeQuery("_acme-challenge.host.example.", rrtype::kTxt, 42);

TEST_CASE("DNS faults: no rules, or no engine, change nothing", "[api][dns-faults]") {
  Server s;
  const Bytes plain = ExchangeDns(ToBytes(kAQuery), DnsTransport::kUdp, "", s.zone, s.history);
  const DnsReply with_engine = s.Exchange(kAQuery);
  CHECK(with_engine.bytes == plain);
  CHECK(with_engine.delay.count() == 0);
  CHECK_FALSE(with_engine.timeout);
  const DnsReply without =
      ExchangeDns(ToBytes(kAQuery), DnsTransport::kUdp, "", s.zone, s.history, nullptr);
  CHECK(without.bytes == plain);
  CHECK(s.engine.LogJson()["decisions"].empty());
}

TEST_CASE("DNS faults: servfail, nxdomain and refused set the RCODE with no answers",
          "[api][dns-faults]") {
  const struct {
    const char* fault;
    wire::Rcode rcode;
  } cases[] = {{"servfail", wire::Rcode::kServFail},
               {"nxdomain", wire::Rcode::kNxDomain},
               {"refused", wire::Rcode::kRefused}};
  for (const auto& c : cases) {
    for (DnsTransport transport : {DnsTransport::kUdp, DnsTransport::kTcp, DnsTransport::kHttps}) {
      CAPTURE(c.fault, static_cast<int>(transport));
      Server s;
      s.Rule(std::string(R"({"fault":")") + c.fault + R"("})");
      const wire::Message reply = MustParse(s.Exchange(kAQuery, transport).bytes);
      CHECK(reply.header.id == 41);
      CHECK(reply.header.qr);
      CHECK(reply.header.rcode == static_cast<std::uint8_t>(c.rcode));
      CHECK(reply.answers.empty());
      CHECK(reply.questions == kAQuery.questions);
    }
  }
}

TEST_CASE("DNS faults: timeout sends nothing, even with a delay", "[api][dns-faults]") {
  Server s;
  s.Rule(R"({"fault":"timeout"})");
  s.Rule(R"({"fault":"dnsDelay","delayMs":50})");
  for (DnsTransport transport : {DnsTransport::kUdp, DnsTransport::kTcp, DnsTransport::kHttps}) {
    const DnsReply reply = s.Exchange(kAQuery, transport);
    CHECK(reply.bytes.empty());
    CHECK(reply.timeout);
  }
  CHECK(s.history.Dns("host.example").size() == 3);  // still recorded as asked
}

TEST_CASE("DNS faults: truncate sets TC with no answers over UDP only", "[api][dns-faults]") {
  Server s;
  s.Rule(R"({"fault":"truncate"})");
  SECTION("UDP: TC, no records but the OPT") {
    const wire::Message reply = MustParse(s.Exchange(WithOpt(kAQuery, 1232)).bytes);
    CHECK(reply.header.tc);
    CHECK(reply.header.rcode == 0);
    CHECK(reply.answers.empty());
    CHECK(reply.authorities.empty());
    REQUIRE(reply.additionals.size() == 1);
    CHECK(reply.additionals[0].type == rrtype::kOpt);
  }
  SECTION("TCP and DoH: the full answer") {
    for (DnsTransport transport : {DnsTransport::kTcp, DnsTransport::kHttps}) {
      const wire::Message reply = MustParse(s.Exchange(kAQuery, transport).bytes);
      CHECK_FALSE(reply.header.tc);
      REQUIRE(reply.answers.size() == 1);
      CHECK(reply.answers[0].data == wire::Rdata(wire::AData{{10, 0, 0, 7}}));
    }
  }
}

TEST_CASE("DNS faults: wrongAnswer replaces the answers of the question type",
          "[api][dns-faults]") {
  Server s;
  SECTION("A") {
    s.Rule(R"({"fault":"wrongAnswer","value":"192.0.2.9","when":{"dnsType":"A"}})");
    const wire::Message reply = MustParse(s.Exchange(kAQuery).bytes);
    REQUIRE(reply.answers.size() == 1);
    CHECK(reply.answers[0].name == "host.example.");
    CHECK(reply.answers[0].type == rrtype::kA);
    CHECK(reply.answers[0].data == wire::Rdata(wire::AData{{192, 0, 2, 9}}));
  }
  SECTION("AAAA") {
    s.Rule(R"({"fault":"wrongAnswer","value":"2001:db8::9"})");
    const wire::Message reply =
        MustParse(s.Exchange(MakeQuery("host.example.", rrtype::kAaaa)).bytes);
    REQUIRE(reply.answers.size() == 1);
    wire::AaaaData expected;
    expected.address = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};
    CHECK(reply.answers[0].data == wire::Rdata(expected));
  }
  SECTION("TXT, also where the zone has none (NOERROR)") {
    s.Rule(R"({"fault":"wrongAnswer","value":"not-the-token"})");
    const wire::Message reply = MustParse(s.Exchange(kTxtQuery).bytes);
    REQUIRE(reply.answers.size() == 1);
    CHECK(reply.answers[0].data == wire::Rdata(wire::TxtData{{"not-the-token"}}));
    s.zone.Update([](mockdns::zone::ZoneData& d) { d.nxdomain.insert("gone.example."); });
    const wire::Message gone =
        MustParse(s.Exchange(MakeQuery("gone.example.", rrtype::kTxt)).bytes);
    CHECK(gone.header.rcode == 0);
    REQUIRE(gone.answers.size() == 1);
  }
  SECTION("a value of the wrong family, or a type without a value form: the normal answer") {
    s.Rule(R"({"fault":"wrongAnswer","value":"2001:db8::9"})");
    const wire::Message a = MustParse(s.Exchange(kAQuery).bytes);
    REQUIRE(a.answers.size() == 1);
    CHECK(a.answers[0].data == wire::Rdata(wire::AData{{10, 0, 0, 7}}));
    const wire::Message caa = MustParse(s.Exchange(MakeQuery("host.example.", rrtype::kCaa)).bytes);
    CHECK(caa.header.rcode == 0);
    CHECK(caa.answers.empty());
  }
}

TEST_CASE("DNS faults: dnsDelay answers normally after the delay, and combines",
          "[api][dns-faults]") {
  Server s;
  s.Rule(R"({"fault":"dnsDelay","delayMs":250})");
  SECTION("alone") {
    const DnsReply reply = s.Exchange(kAQuery);
    CHECK(reply.delay == std::chrono::milliseconds(250));
    CHECK(MustParse(reply.bytes).answers.size() == 1);
  }
  SECTION("with servfail and a second delay: the delays add up") {
    s.Rule(R"({"fault":"servfail"})");
    s.Rule(R"({"fault":"dnsDelay","delayMs":100})");
    const DnsReply reply = s.Exchange(kAQuery, DnsTransport::kTcp);
    CHECK(reply.delay == std::chrono::milliseconds(350));
    CHECK(MustParse(reply.bytes).header.rcode == 2);
  }
}

TEST_CASE("DNS faults: dnsName and dnsType select the questions", "[api][dns-faults]") {
  Server s;
  s.Rule(R"({"fault":"servfail","where":"dns",)"
         R"("when":{"dnsName":"_ACME-challenge.host.example.","dnsType":"txt"}})");
  CHECK(MustParse(s.Exchange(MakeQuery("_acme-challenge.HOST.example.", rrtype::kTxt)).bytes)
            .header.rcode == 2);
  CHECK(MustParse(s.Exchange(MakeQuery("_acme-challenge.host.example", rrtype::kA)).bytes)
            .header.rcode == 0);
  CHECK(MustParse(s.Exchange(kAQuery).bytes).header.rcode == 0);
  CHECK(MustParse(s.Exchange(MakeQuery("other.example.", rrtype::kTxt)).bytes).header.rcode == 0);
}

TEST_CASE("DNS faults: times and nth count the matching questions", "[api][dns-faults]") {
  Server s;
  s.Rule(R"({"fault":"refused","times":1})");
  CHECK(MustParse(s.Exchange(kAQuery).bytes).header.rcode == 5);
  CHECK(MustParse(s.Exchange(kAQuery).bytes).header.rcode == 0);
}

TEST_CASE("DNS faults: each decision is logged with its rule id and question",
          "[api][dns-faults]") {
  Server s;
  const std::string id = s.Rule(R"({"id":"dns1","fault":"nxdomain","when":{"dnsType":"TXT"}})");
  (void)s.Exchange(kTxtQuery, DnsTransport::kTcp);
  (void)s.Exchange(kAQuery);
  const nlohmann::json log = s.engine.LogJson()["decisions"];
  REQUIRE(log.size() == 1);
  CHECK(log[0]["rule"] == id);
  CHECK(log[0]["fault"] == "nxdomain");
  CHECK(log[0]["where"] == "dns");
  CHECK(log[0]["subject"] == "TXT _acme-challenge.host.example over tcp");
}

TEST_CASE("DnsFacts names the question as the rules match it", "[api][dns-faults]") {
  using mockdns::api::DnsFacts;
  const faults::Facts facts =
      DnsFacts({"Host.Example.", rrtype::kCaa, wire::kClassIn}, DnsTransport::kHttps);
  CHECK(facts.where == "dns");
  CHECK(facts.dns_name == "host.example");
  CHECK(facts.dns_type == "CAA");
  CHECK(facts.subject == "CAA host.example over doh");
  CHECK(mockdns::api::DnsTypeName(65) == "TYPE65");
  CHECK(mockdns::api::DnsTypeName(rrtype::kAaaa) == "AAAA");
  CHECK(DnsFacts({".", rrtype::kNs, wire::kClassIn}, DnsTransport::kUdp).dns_name.empty());
}

}  // namespace

}  // namespace dns_faults_test
