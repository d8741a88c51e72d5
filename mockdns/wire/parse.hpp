#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.hpp"
#include "mockdns/wire/message.hpp"

namespace mockdns::wire {

inline constexpr std::size_t kMaxMessageSize = 65535;

enum class ParseError {
  kTooShort,      // fewer than 12 octets: there is no header to answer
  kTruncated,     // a section, record or name runs past the end
  kBadLabel,      // a label type other than 00 or 11, or a label over 63 octets
  kBadPointer,    // a compression pointer that does not point strictly backwards
  kNameTooLong,   // over 255 octets once decompressed
  kBadRdata,      // rdata inconsistent with its type or length
  kTrailingData,  // octets after the last record
  kTooLarge,      // over 65535 octets
};

std::string_view ParseErrorText(ParseError error);

// Decodes a whole DNS message. Names are decompressed; known types become typed rdata, others stay
// raw. Never reads outside bytes.
common::Result<Message, ParseError> Parse(std::span<const std::uint8_t> bytes);

// The 16-bit ID of a message that failed to parse, when it has at least 2 octets (so FORMERR can
// echo it).
bool PeekId(std::span<const std::uint8_t> bytes, std::uint16_t* id);

}  // namespace mockdns::wire
