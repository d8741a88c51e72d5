#include "common/listen_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>

#include "common/ascii.hpp"
#include "common/ip_literal.hpp"

namespace common {

std::string ListenAddress::ToString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress, std::string> SplitHostPort(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return MakeErr("missing port in address \"" + std::string(text) + "\"");
  }
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return MakeErr("IPv6 address needs brackets in \"" + std::string(text) + "\"");
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return MakeErr("bad port in address \"" + std::string(text) + "\"");
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

Result<std::vector<ListenAddress>, std::string> ParseListenList(std::string_view text,
                                                                bool listen_all) {
  std::vector<ListenAddress> out;
  text = common::TrimBlanks(text);
  if (text.empty()) {
    return out;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto item = common::TrimBlanks(text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    auto split = SplitHostPort(item);
    if (!split) {
      return split.error();
    }
    ListenAddress address = split.value();
    if (address.host.empty()) {
      // Deliberate difference from Go (and challtestsrv): no host means loopback, not every
      // interface, unless the user asked for --listen-all.
      address.host = listen_all ? "::" : "127.0.0.1";
    } else if (address.host == "localhost") {
      address.host = "127.0.0.1";
    } else if (!IsIpLiteral(address.host)) {
      return MakeErr("host in \"" + std::string(item) + "\" must be an IP address or localhost");
    }
    out.push_back(std::move(address));
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return out;
}

bool ListenAddress::IsLoopback() const {
  in6_addr v6{};
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) {
      return true;
    }
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

std::string ManagementExposureError(const std::vector<ListenAddress>& list, bool expose,
                                    std::string_view list_flag, std::string_view expose_flag) {
  if (expose) {
    return "";
  }
  for (const ListenAddress& address : list) {
    if (!address.IsLoopback()) {
      return std::string(list_flag) + ": " + address.ToString() +
             " is not loopback; a management API serves the test CA's private keys and controls "
             "its faults and DNS answers, so binding it elsewhere needs " +
             std::string(expose_flag);
    }
  }
  return "";
}

}  // namespace common
