#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace mockdns::api {

enum class DnsTransport { kUdp, kTcp, kHttps };

// Queries larger than this are refused (FORMERR over UDP/DoH, connection closed over TCP): real
// queries are well under 512 octets.
inline constexpr std::size_t kMaxQuerySize = 4096;

// One DNS exchange, shared by UDP, TCP and DoH: parse, record each question in the history, answer
// from the zone, serialize (truncating to the UDP size limit over UDP). A malformed query gets
// FORMERR when its ID is readable. Returns no bytes when nothing must be sent: an input of under 2
// octets, or a message with QR set (never answer a response).
std::vector<std::uint8_t> ExchangeDns(std::span<const std::uint8_t> query, DnsTransport transport,
                                      const std::string& user_agent, const zone::Zone& zone,
                                      zone::RequestHistory& history);

}  // namespace mockdns::api
