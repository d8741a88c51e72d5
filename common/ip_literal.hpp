#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace common {

enum class IpFamily { kAny, kV4, kV6 };

// Whether text is exactly an IP address in textual form (dotted IPv4, or IPv6 without brackets or
// zone). A NUL anywhere is refused: inet_pton would stop there and accept "1.2.3.4\0junk".
bool IsIpLiteral(std::string_view text, IpFamily family = IpFamily::kAny);

// The address's octets (4 for IPv4, 16 for IPv6), or nullopt unless IsIpLiteral(text).
std::optional<std::vector<unsigned char>> IpOctets(std::string_view text);

// The canonical text form (inet_ntop: "2001:db8::1", not "2001:DB8:0::1"), or nullopt unless
// IsIpLiteral(text).
std::optional<std::string> CanonicalIp(std::string_view text);

}  // namespace common
