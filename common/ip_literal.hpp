#pragma once

#include <string_view>

namespace common {

enum class IpFamily { kAny, kV4, kV6 };

// Whether text is exactly an IP address in textual form (dotted IPv4, or IPv6 without brackets or
// zone). A NUL anywhere is refused: inet_pton would stop there and accept "1.2.3.4\0junk".
bool IsIpLiteral(std::string_view text, IpFamily family = IpFamily::kAny);

}  // namespace common
