#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "mockdns/wire/message.hpp"

namespace mockdns::wire {

// Encodes a message with name compression (owner names, question names and the names inside
// CNAME/NS/PTR/MX/SOA rdata, RFC 1035 §4.1.4). Counts come from the vectors.
//
// When the encoding exceeds max_size (512 for plain UDP, the EDNS payload size otherwise) the
// answer, authority and additional sections are dropped except the OPT record, and TC is set
// (RFC 1035 §4.2.1, RFC 6891 §7), so the client retries over TCP.
// Errors: an invalid name, a character-string or CAA tag over 255 octets, rdata over 65535 octets.
common::Result<std::vector<std::uint8_t>, std::string> Serialize(const Message& message,
                                                                 std::size_t max_size = 65535);

}  // namespace mockdns::wire
