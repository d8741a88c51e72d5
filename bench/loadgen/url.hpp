#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace bench {

// An https URL split into what a connection and a request line need.
struct Url {
  std::string host;    // as written: "127.0.0.1", "localhost", "[::1]"
  int port = 443;      // the explicit port, else 443
  std::string target;  // path and query, "/" when absent
};

// Parses "https://host[:port][/path]". Anything else (another scheme, a bad port) is an error
// naming the URL.
common::Result<Url, std::string> ParseUrl(std::string_view url);

}  // namespace bench
