#pragma once

#include <string>
#include <string_view>

namespace common {

// ASCII-only case folding, as DNS names (RFC 4343), HTTP header names and media types need; other
// bytes are left alone.
std::string AsciiLower(std::string text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// text without leading and trailing spaces and tabs (HTTP's OWS, RFC 9110 §5.6.3).
std::string_view TrimBlanks(std::string_view text);

}  // namespace common
