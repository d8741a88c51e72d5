#pragma once

// Builders for DNS test messages, shared by the zone and api tests (anchors §9: tests/support
// holds fakes and builders). Header-only; every function is a plain value builder.

#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mockdns/wire/message.hpp"
#include "mockdns/wire/serialize.hpp"

namespace support {

// A standard query (opcode QUERY, RD set) with one IN question.
inline mockdns::wire::Message MakeQuery(const std::string& name, std::uint16_t type,
                                        std::uint16_t id = 0x1234) {
  mockdns::wire::Message query;
  query.header.id = id;
  query.header.rd = true;
  query.questions.push_back({name, type, mockdns::wire::kClassIn});
  return query;
}

// Adds an EDNS0 OPT record: payload is the UDP size, ttl the extended rcode/version/flags word.
inline mockdns::wire::Message WithOpt(mockdns::wire::Message message, std::uint16_t payload,
                                      std::uint32_t ttl = 0,
                                      std::vector<std::uint8_t> options = {}) {
  message.additionals.push_back(
      {".", mockdns::wire::rrtype::kOpt, payload, ttl, mockdns::wire::RawData{std::move(options)}});
  return message;
}

// The wire form of message; fails the running test if it cannot be serialized.
inline std::vector<std::uint8_t> ToBytes(const mockdns::wire::Message& message) {
  auto bytes = mockdns::wire::Serialize(message);
  REQUIRE(bytes.ok());
  return std::move(bytes).value();
}

}  // namespace support
