#include "common/ip_literal.hpp"

#include <arpa/inet.h>

#include <string>

namespace common {

std::optional<std::vector<unsigned char>> IpOctets(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return std::nullopt;  // inet_pton would stop there
  }
  const std::string copy(text);
  unsigned char buffer[16];
  if (inet_pton(AF_INET, copy.c_str(), buffer) == 1) {
    return std::vector<unsigned char>(buffer, buffer + 4);
  }
  if (inet_pton(AF_INET6, copy.c_str(), buffer) == 1) {
    return std::vector<unsigned char>(buffer, buffer + 16);
  }
  return std::nullopt;
}

bool IsIpLiteral(std::string_view text, IpFamily family) {
  const auto octets = IpOctets(text);
  switch (family) {
    case IpFamily::kV4:
      return octets && octets->size() == 4;
    case IpFamily::kV6:
      return octets && octets->size() == 16;
    case IpFamily::kAny:
      return octets.has_value();
  }
  return false;
}

std::optional<std::string> CanonicalIp(std::string_view text) {
  const auto octets = IpOctets(text);
  if (!octets) {
    return std::nullopt;
  }
  char canonical[INET6_ADDRSTRLEN] = {};
  inet_ntop(octets->size() == 4 ? AF_INET : AF_INET6, octets->data(), canonical, sizeof canonical);
  return std::string(canonical);
}

}  // namespace common
