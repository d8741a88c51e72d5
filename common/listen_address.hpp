#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace common {

// One address a server listens on, as given on a command line ("host:port", ":port", "[v6]:port").
struct ListenAddress {
  std::string host;  // an IP literal
  std::uint16_t port = 0;

  // "127.0.0.1:8053" or "[::1]:8053".
  std::string ToString() const;
  // Whether host is a loopback address (127.0.0.0/8, ::1, or ::ffff:127.x.y.z).
  bool IsLoopback() const;
  bool operator==(const ListenAddress&) const = default;
};

// Parses a comma-separated list of addresses in Go's net.Listen form. An empty string yields no
// address (the server is disabled). A missing host becomes 127.0.0.1, or "::" (every interface,
// dual stack) when listen_all is set; "localhost" becomes 127.0.0.1. Host names are refused.
// Returns a one-line error naming the bad entry.
Result<std::vector<ListenAddress>, std::string> ParseListenList(std::string_view text,
                                                                bool listen_all);

// A management listener (which hands out a test CA's private keys and controls faults and DNS)
// binds loopback unless the user passes the expose flag: the error naming the first address in
// list that is not loopback and the flag that allows it, or "" when every address is loopback or
// expose is set.
std::string ManagementExposureError(const std::vector<ListenAddress>& list, bool expose,
                                    std::string_view list_flag, std::string_view expose_flag);

// Splits "host:port" / "[v6]:port" into its parts without defaults; port must be 0..65535.
Result<ListenAddress, std::string> SplitHostPort(std::string_view text);

}  // namespace common
