#include "common/ip_literal.hpp"

#include <arpa/inet.h>

#include <string>

namespace common {

bool IsIpLiteral(std::string_view text, IpFamily family) {
  if (text.find('\0') != std::string_view::npos) {
    return false;
  }
  const std::string copy(text);
  unsigned char buffer[16];
  const bool v4 = inet_pton(AF_INET, copy.c_str(), buffer) == 1;
  const bool v6 = !v4 && inet_pton(AF_INET6, copy.c_str(), buffer) == 1;
  switch (family) {
    case IpFamily::kV4:
      return v4;
    case IpFamily::kV6:
      return v6;
    case IpFamily::kAny:
      return v4 || v6;
  }
  return false;
}

}  // namespace common
