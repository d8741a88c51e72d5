#include "mockdns/zone/responder.hpp"

// Respond's header, SOA and EDNS behaviour, and MaxUdpResponseSize. Records and rcodes are tested
// in responder_test.cpp.

#include <catch2/catch.hpp>

#include "tests/support/dns_query.hpp"

namespace responder_edns_test {

namespace {

namespace wire = mockdns::wire;
namespace rrtype = wire::rrtype;
using mockdns::zone::MaxUdpResponseSize;
using mockdns::zone::Respond;
using mockdns::zone::ZoneData;
using support::MakeQuery;
using support::WithOpt;

constexpr std::uint32_t kDoBit = 0x8000;

TEST_CASE("Respond copies ID, RD and CD and sets QR", "[zone][respond][header]") {
  wire::Message query = MakeQuery("example.com.", rrtype::kA, 0xC0DE);
  query.header.cd = true;
  const auto reply = Respond(query, ZoneData{});
  CHECK(reply.header.id == 0xC0DE);
  CHECK(reply.header.qr);
  CHECK(reply.header.rd);
  CHECK(reply.header.cd);
  CHECK(reply.header.opcode == 0);
  CHECK(reply.questions == query.questions);

  query.header.rd = false;
  query.header.cd = false;
  const auto no_rd = Respond(query, ZoneData{});
  CHECK_FALSE(no_rd.header.rd);
  CHECK_FALSE(no_rd.header.cd);
}

TEST_CASE("Respond puts the challtestsrv SOA in the authority section", "[zone][respond]") {
  const auto reply = Respond(MakeQuery("example.com.", rrtype::kA), ZoneData{});
  REQUIRE(reply.authorities.size() == 1);
  const auto& soa = reply.authorities[0];
  CHECK(soa.name == "challtestsrv.invalid.");
  CHECK(soa.type == rrtype::kSoa);
  CHECK(soa.ttl == 0);
  const auto* data = std::get_if<wire::SoaData>(&soa.data);
  REQUIRE(data != nullptr);
  CHECK(data->mname == "ns.challtestsrv.invalid.");
  CHECK(data->rname == "master.challtestsrv.invalid.");
}

TEST_CASE("Respond sends no OPT to a query without EDNS", "[zone][respond][edns]") {
  const auto reply = Respond(MakeQuery("example.com.", rrtype::kA), ZoneData{});
  CHECK(wire::FindOpt(reply) == nullptr);
  CHECK(reply.additionals.empty());
}

TEST_CASE("Respond answers EDNS with our payload size and the DO bit echoed",
          "[zone][respond][edns]") {
  SECTION("DO set") {
    const auto reply =
        Respond(WithOpt(MakeQuery("example.com.", rrtype::kA), 4096, kDoBit), ZoneData{});
    const wire::ResourceRecord* opt = wire::FindOpt(reply);
    REQUIRE(opt != nullptr);
    CHECK(opt->name == ".");
    CHECK(opt->klass == mockdns::zone::kEdnsPayloadSize);
    CHECK(opt->klass == 1232);
    CHECK(opt->ttl == kDoBit);
    CHECK(reply.answers.size() == 1);
    CHECK(reply.header.rcode == 0);
  }
  SECTION("DO clear") {
    const auto reply = Respond(WithOpt(MakeQuery("example.com.", rrtype::kA), 512, 0), ZoneData{});
    const wire::ResourceRecord* opt = wire::FindOpt(reply);
    REQUIRE(opt != nullptr);
    CHECK(opt->klass == 1232);
    CHECK(opt->ttl == 0);
  }
  SECTION("other flag bits are not echoed") {
    const auto reply =
        Respond(WithOpt(MakeQuery("example.com.", rrtype::kA), 1232, kDoBit | 0x7FFF), ZoneData{});
    REQUIRE(wire::FindOpt(reply) != nullptr);
    CHECK(wire::FindOpt(reply)->ttl == kDoBit);
  }
}

TEST_CASE("Respond answers an unknown EDNS version with BADVERS", "[zone][respond][edns]") {
  const std::uint32_t version_1 = 1u << 16;
  const auto reply =
      Respond(WithOpt(MakeQuery("example.com.", rrtype::kA), 1232, version_1 | kDoBit), ZoneData{});
  const wire::ResourceRecord* opt = wire::FindOpt(reply);
  REQUIRE(opt != nullptr);
  // BADVERS is extended rcode 16: upper 8 bits (1) in the OPT TTL, lower 4 bits (0) in the header.
  CHECK((opt->ttl >> 24) == 1);
  CHECK(reply.header.rcode == 0);
  CHECK((opt->ttl & kDoBit) == kDoBit);
  CHECK(reply.answers.empty());
  CHECK(reply.header.qr);
}

TEST_CASE("Respond still answers EDNS queries for errors", "[zone][respond][edns]") {
  ZoneData data;
  data.servfail.insert("fail.example.");
  const auto reply = Respond(WithOpt(MakeQuery("fail.example.", rrtype::kA), 1232), data);
  CHECK(reply.header.rcode == 2);
  REQUIRE(wire::FindOpt(reply) != nullptr);
  CHECK((wire::FindOpt(reply)->ttl >> 24) == 0);
}

struct SizeCase {
  const char* name;
  wire::Message query;
  std::size_t want;
};

TEST_CASE("MaxUdpResponseSize is 512 without EDNS and clamped otherwise", "[zone][respond][edns]") {
  const wire::Message plain = MakeQuery("example.com.", rrtype::kA);
  const SizeCase cases[] = {
      {"no OPT", plain, 512},
      {"payload below 512", WithOpt(plain, 100), 512},
      {"payload 0", WithOpt(plain, 0), 512},
      {"payload 1232", WithOpt(plain, 1232), 1232},
      {"payload 4096", WithOpt(plain, 4096), 4096},
      {"payload above 4096", WithOpt(plain, 65000), 4096},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      CHECK(MaxUdpResponseSize(tc.query) == tc.want);
    }
  }
}

TEST_CASE("FormatError echoes the ID with rcode FORMERR", "[zone][respond]") {
  const wire::Message reply = mockdns::zone::FormatError(0x4242);
  CHECK(reply.header.id == 0x4242);
  CHECK(reply.header.qr);
  CHECK(reply.header.rcode == 1);
  CHECK(reply.questions.empty());
  CHECK(reply.answers.empty());
}

}  // namespace

}  // namespace responder_edns_test
