#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace mockca::report {

// Parses an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7): the day name must
// match the date, fields are fixed-width, the zone is "GMT" and case matters. The obsolete RFC 850
// and asctime forms are not accepted. nullopt for anything else, including out-of-range fields
// (day 31 in April, hour 24, second 61) and years before 1970.
std::optional<std::chrono::system_clock::time_point> ParseImfFixdate(std::string_view text);

// When a Retry-After value (RFC 9110 §10.2.3) lets the client come back: received plus
// delta-seconds (1*DIGIT, clamped at ten years), or the HTTP-date. Surrounding spaces and tabs are
// ignored. nullopt when it is neither.
std::optional<std::chrono::system_clock::time_point> RetryAfterTime(
    std::string_view value, std::chrono::system_clock::time_point received);

}  // namespace mockca::report
