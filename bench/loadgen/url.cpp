#include "bench/loadgen/url.hpp"

#include <charconv>

namespace bench {

common::Result<Url, std::string> ParseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return "not an https URL: " + std::string(url);
  }
  std::string_view rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  Url parsed;
  parsed.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  // The port follows the last ':' unless that colon is inside an IPv6 literal's brackets.
  const std::size_t colon = authority.rfind(':');
  const std::size_t bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    const std::string_view port = authority.substr(colon + 1);
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), parsed.port);
    if (ec != std::errc() || end != port.data() + port.size() || parsed.port <= 0 ||
        parsed.port > 65535) {
      return "bad port in URL: " + std::string(url);
    }
    parsed.host = std::string(authority.substr(0, colon));
  } else {
    parsed.host = std::string(authority);
  }
  if (parsed.host.empty()) {
    return "no host in URL: " + std::string(url);
  }
  return parsed;
}

}  // namespace bench
