#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "mockdns/api/dns_transport.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace faults {
class FaultEngine;
}  // namespace faults

namespace mockdns::api {

// Queries larger than this are refused (FORMERR over UDP/DoH, connection closed over TCP): real
// queries are well under 512 octets.
inline constexpr std::size_t kMaxQuerySize = 4096;

// What to send back for one query, and when.
struct DnsReply {
  std::vector<std::uint8_t> bytes;     // empty: send nothing
  std::chrono::milliseconds delay{0};  // send after this long (a "dnsDelay" fault), never blocking
  bool timeout = false;                // a "timeout" fault fired: bytes is empty on purpose
};

// One DNS exchange, shared by UDP, TCP and DoH: parse, record each question in the history, answer
// from the zone, apply the DNS faults of engine (dns_faults.hpp; nullptr or an idle engine: none),
// serialize (truncating to the UDP size limit over UDP). A malformed query gets FORMERR when its
// ID is readable. Returns no bytes when nothing must be sent: an input of under 2 octets, a
// message with QR set (never answer a response), or a "timeout" fault.
DnsReply ExchangeDns(std::span<const std::uint8_t> query, DnsTransport transport,
                     const std::string& user_agent, const zone::Zone& zone,
                     zone::RequestHistory& history, faults::FaultEngine* engine);

// The same without faults: the reply's bytes.
std::vector<std::uint8_t> ExchangeDns(std::span<const std::uint8_t> query, DnsTransport transport,
                                      const std::string& user_agent, const zone::Zone& zone,
                                      zone::RequestHistory& history);

}  // namespace mockdns::api
