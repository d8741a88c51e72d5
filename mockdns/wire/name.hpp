#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mockdns::wire {

inline constexpr std::size_t kMaxLabelLength = 63;
inline constexpr std::size_t kMaxNameWireLength = 255;

// Splits a presentation-form name into raw labels, resolving \DDD and \X escapes. A missing
// trailing dot is accepted ("example.com" == "example.com."). Errors: an empty label, a label over
// 63 octets, a name over 255 octets on the wire, or a bad escape.
common::Result<std::vector<std::string>, std::string> NameToLabels(std::string_view name);

// Presentation form of raw labels, with the trailing dot; escapes as message.hpp describes.
std::string LabelsToName(const std::vector<std::string>& labels);

// The canonical key for comparing names: lowercase (ASCII), fully qualified, escapes normalised.
// An invalid name maps to its lowercase text with a trailing dot.
std::string CanonicalName(std::string_view name);

// Whether name is a valid domain name in presentation form.
bool IsValidName(std::string_view name);

}  // namespace mockdns::wire
