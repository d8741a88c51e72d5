#include "mockdns/zone/zone.hpp"

#include <catch2/catch.hpp>

#include "tests/support/dns_query.hpp"

namespace zone_test {

namespace {

namespace wire = mockdns::wire;
using mockdns::zone::Zone;
using mockdns::zone::ZoneData;

TEST_CASE("Zone starts with challtestsrv defaults", "[zone]") {
  const Zone zone;
  const ZoneData data = zone.Snapshot();
  CHECK(data.default_ipv4 == "127.0.0.1");
  CHECK(data.default_ipv6 == "::1");
  CHECK(data.default_ttl == 0);
  CHECK(data.txt.empty());
}

TEST_CASE("Zone answers from the data its last Update left", "[zone]") {
  Zone zone;
  zone.Update([](ZoneData& d) { d.txt["x.example."] = {"one"}; });
  zone.Update([](ZoneData& d) { d.txt["x.example."].push_back("two"); });

  const auto reply = zone.Answer(support::MakeQuery("x.example.", wire::rrtype::kTxt));
  REQUIRE(reply.answers.size() == 2);
  CHECK(reply.answers[1].data == wire::Rdata(wire::TxtData{{"two"}}));
  CHECK(zone.Snapshot().txt.at("x.example.") == std::vector<std::string>{"one", "two"});
}

TEST_CASE("Zone Snapshot is a copy unaffected by later updates", "[zone]") {
  Zone zone;
  const ZoneData before = zone.Snapshot();
  zone.Update([](ZoneData& d) { d.default_ipv4 = "10.0.0.9"; });
  CHECK(before.default_ipv4 == "127.0.0.1");
  CHECK(zone.Snapshot().default_ipv4 == "10.0.0.9");
}

}  // namespace

}  // namespace zone_test
