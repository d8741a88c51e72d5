// A parsed query -> zone::Respond over a fixed zone -> Serialize (TCP and UDP limits) must always
// encode and re-parse; and the same bytes through api::ExchangeDns (the path the UDP listener
// takes) must give nothing or a reply that parses, and record every question in the history. A
// reply over the UDP limit must be the TC form.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "mockdns/api/dns_exchange.hpp"
#include "mockdns/wire/name.hpp"
#include "mockdns/wire/parse.hpp"
#include "mockdns/wire/serialize.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/responder.hpp"
#include "mockdns/zone/zone.hpp"

namespace {

namespace wire = mockdns::wire;
namespace zone = mockdns::zone;

// Names are canonical keys (lowercase, trailing dot), as the management API stores them.
zone::ZoneData MakeZoneData() {
  zone::ZoneData d;
  d.a["a.example."] = {"192.0.2.1", "192.0.2.2"};
  d.aaaa["a.example."] = {"2001:db8::1"};
  d.txt["_acme-challenge.example."] = {"short", std::string(300, 'x'), ""};
  d.caa["example."] = {{0, "issue", "letsencrypt.org"}, {128, "iodef", "mailto:ca@example"}};
  d.cname["c1.example."] = "c2.example.";  // c1 -> c2 -> c3 -> a
  d.cname["c2.example."] = "c3.example.";
  d.cname["c3.example."] = "a.example.";
  d.cname["loop1.example."] = "loop2.example.";  // a loop ends after kMaxCnameChain links
  d.cname["loop2.example."] = "loop1.example.";
  d.cname["to-sf.example."] = "sf.example.";
  d.cname["we\\032ird.example."] = "\\.dot\\\\.example.";  // escaped labels
  d.txt["\\.dot\\\\.example."] = {"escaped"};
  d.ttl["a.example."] = 60;
  d.default_ttl = 5;
  d.servfail = {"sf.example."};
  d.nxdomain = {"nx.example."};
  return d;
}

const zone::ZoneData& Data() {
  static const zone::ZoneData data = MakeZoneData();
  return data;
}

const zone::Zone& LiveZone() {
  static const std::unique_ptr<zone::Zone> live = [] {
    auto z = std::make_unique<zone::Zone>();
    z->Update([](zone::ZoneData& d) { d = MakeZoneData(); });
    return z;
  }();
  return *live;
}

// Compression keeps the first spelling of a name (case-insensitive match), so compare canonically.
bool SameQuestions(const std::vector<wire::Question>& a, const std::vector<wire::Question>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return wire::CanonicalName(x.name) == wire::CanonicalName(y.name) && x.type == y.type &&
           x.klass == y.klass;
  });
}

// A reply encoded within max_size must re-parse, keep the ID and questions, and be either whole
// or the TC form (header, questions, OPT only).
void CheckEncoded(const wire::Message& reply, std::size_t max_size) {
  const auto bytes = wire::Serialize(reply, max_size);
  FUZZ_CHECK(bytes.ok());
  const auto again = wire::Parse(bytes.value());
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.value().header.id == reply.header.id && again.value().header.qr);
  FUZZ_CHECK(SameQuestions(again.value().questions, reply.questions));
  if (bytes.value().size() > max_size || again.value().header.tc != reply.header.tc) {
    FUZZ_CHECK(again.value().header.tc && again.value().answers.empty() &&
               again.value().authorities.empty());
  } else {
    FUZZ_CHECK(again.value().answers.size() == reply.answers.size());
    FUZZ_CHECK(again.value().header.rcode == reply.header.rcode);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > wire::kMaxMessageSize) {
    return -1;
  }
  const std::span<const std::uint8_t> bytes(data, size);
  const auto query = wire::Parse(bytes);
  if (query) {
    const wire::Message reply = zone::Respond(query.value(), Data());
    CheckEncoded(reply, wire::kMaxMessageSize);
    CheckEncoded(reply, zone::MaxUdpResponseSize(query.value()));
  }

  // A fresh history per input: a long-lived one only grows, which makes libFuzzer run a leak check
  // after every input.
  zone::RequestHistory history;
  const auto answer =
      mockdns::api::ExchangeDns(bytes, mockdns::api::DnsTransport::kUdp, "", LiveZone(), history);
  if (!answer.empty()) {
    const auto parsed = wire::Parse(answer);
    FUZZ_CHECK(parsed.ok() && parsed.value().header.qr);
    FUZZ_CHECK(parsed.value().header.id == (data[0] << 8 | data[1]));
  }
  // Every question of an answered query is in the history (what /dns-request-history serves).
  if (query && !query.value().header.qr && size <= mockdns::api::kMaxQuerySize) {
    for (const wire::Question& question : query.value().questions) {
      FUZZ_CHECK(!history.Dns(question.name).empty());
    }
  }
  return 0;
}
