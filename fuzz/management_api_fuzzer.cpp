// The management API (pebble-challtestsrv's endpoints) on one long-lived instance, so edits pile up
// as they do in a real test run.
//
// Input: "<path>\n<JSON body>". A path of exactly one byte picks a known endpoint (byte % count);
// any other path is sent as the raw request target. Oracles: the status is 200, 400 or 404 (404
// only for an unknown path); a 200 from a history endpoint is a JSON array, from any other endpoint
// an empty body; and whatever the API accepted must leave the zone answerable, so
// A/AAAA/TXT/CAA/CNAME questions for kName must still serialize. After an address edit every stored
// address must be a whole IP literal of its family (zone_data.hpp: "IP values are validated
// literals").

#include <arpa/inet.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "common/logger.hpp"
#include "fuzz/fuzz_check.hpp"
#include "http/message.hpp"
#include "mockdns/api/management_api.hpp"
#include "mockdns/wire/serialize.hpp"
#include "mockdns/zone/challenge_responses.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace {

namespace api = mockdns::api;
namespace wire = mockdns::wire;
namespace zone = mockdns::zone;

constexpr std::string_view kPaths[] = {
    "/set-default-ipv4",
    "/set-default-ipv6",
    "/add-a",
    "/clear-a",
    "/add-aaaa",
    "/clear-aaaa",
    "/add-caa",
    "/clear-caa",
    "/set-cname",
    "/clear-cname",
    "/set-txt",
    "/clear-txt",
    "/set-servfail",
    "/clear-servfail",
    "/set-nxdomain",
    "/clear-nxdomain",
    "/set-ttl",
    "/clear-ttl",
    "/set-default-ttl",
    "/add-http01",
    "/del-http01",
    "/add-redirect",
    "/del-redirect",
    "/add-tlsalpn01",
    "/del-tlsalpn01",
    "/http-request-history",
    "/dns-request-history",
    "/tlsalpn01-request-history",
    "/clear-request-history",
};

// The name the seeds and the dictionary use; its answers are checked after every request.
constexpr const char* kName = "fuzz.example.";

bool IsKnown(std::string_view path) {
  return std::find(std::begin(kPaths), std::end(kPaths), path) != std::end(kPaths);
}

bool IsHistory(std::string_view path) {
  return path == "/http-request-history" || path == "/dns-request-history" ||
         path == "/tlsalpn01-request-history";
}

struct Fixture {
  std::ostream null_out{nullptr};  // no streambuf: every write is dropped
  common::Logger log{null_out, "mockdns", common::Logger::Level::kError};
  zone::Zone zone;
  zone::ChallengeResponses challenges;
  zone::RequestHistory history;
  api::ManagementApi management{zone, challenges, history, api::EnabledServers{}, log};
};

// Long-lived, but rebuilt every 256 inputs: list endpoints only append, and answering a name with
// thousands of records would make every later input slow.
Fixture& State() {
  static std::unique_ptr<Fixture> fixture;
  static unsigned uses = 0;
  if (uses++ % 256 == 0) {
    fixture = std::make_unique<Fixture>();
    // One DNS event, so the DNS history endpoint has something to render.
    fixture->history.Add(zone::DnsRequestEvent{{kName, wire::rrtype::kA, wire::kClassIn}, "fuzz"});
  }
  return *fixture;
}

// inet_pton stops at an embedded NUL, so "192.0.2.1\0junk" would pass it alone.
bool IsWholeIp(const std::string& text, int family) {
  unsigned char buffer[16];
  return text.find('\0') == std::string::npos && inet_pton(family, text.c_str(), buffer) == 1;
}

void CheckAddresses(const zone::ZoneData& d) {
  FUZZ_CHECK(d.default_ipv4.empty() || IsWholeIp(d.default_ipv4, AF_INET));
  FUZZ_CHECK(d.default_ipv6.empty() || IsWholeIp(d.default_ipv6, AF_INET6));
  for (const auto& [family, map] : {std::pair{AF_INET, &d.a}, std::pair{AF_INET6, &d.aaaa}}) {
    for (const auto& entry : *map) {
      for (const std::string& ip : entry.second) {
        FUZZ_CHECK(IsWholeIp(ip, family));
      }
    }
  }
}

void CheckAnswerable(const zone::Zone& live) {
  for (const std::uint16_t type : {wire::rrtype::kA, wire::rrtype::kAaaa, wire::rrtype::kTxt,
                                   wire::rrtype::kCaa, wire::rrtype::kCname}) {
    wire::Message query;
    query.header.id = 1;
    query.header.rd = true;
    query.questions.push_back({kName, type, wire::kClassIn});
    FUZZ_CHECK(wire::Serialize(live.Answer(query)).ok());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  std::string_view path = input.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? "" : input.substr(newline + 1);
  if (path.size() == 1) {
    path = kPaths[static_cast<std::uint8_t>(path[0]) % std::size(kPaths)];
  }

  Fixture& state = State();
  http::Request request;
  request.method = "POST";
  request.target = std::string(path);
  request.host = "127.0.0.1:8055";
  request.body = std::string(body);
  const http::Response response = state.management.Handle(request);

  const std::string target_path = request.Path();
  FUZZ_CHECK(response.status == 200 || response.status == 400 || response.status == 404);
  FUZZ_CHECK((response.status == 404) == !IsKnown(target_path));
  if (response.status == 200) {
    if (IsHistory(target_path)) {
      const auto list = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
      FUZZ_CHECK(list.is_array());
    } else {
      FUZZ_CHECK(response.body.empty());
    }
    if (target_path == "/add-a" || target_path == "/add-aaaa" ||
        target_path.starts_with("/set-default-ipv")) {
      CheckAddresses(state.zone.Snapshot());
    }
  }
  CheckAnswerable(state.zone);
  return 0;
}
