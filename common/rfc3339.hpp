#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace common {

// RFC 3339 timestamps as ACME uses them (RFC 8555 §7.1: `expires`, `validated`, `notBefore`).

// UTC with a "Z" suffix and whole seconds, e.g. "2026-11-23T13:36:31Z" (sub-second parts are
// truncated).
std::string FormatRfc3339(std::chrono::system_clock::time_point when);
// The same with milliseconds, e.g. "2026-11-23T13:36:31.045Z" (truncated, not rounded), for logs.
std::string FormatRfc3339Millis(std::chrono::system_clock::time_point when);

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" ('T'/'Z' in either case, as RFC 3339 §5.6
// allows). The fraction is kept to microseconds. nullopt for anything else, including out-of-range
// fields (month 13, hour 24, second 61) and years before 1970 or after 9999. A time past what
// system_clock holds (2262-04-11T23:47:16.854775807Z) reads as system_clock::time_point::max().
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

}  // namespace common
