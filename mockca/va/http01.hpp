#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "mockca/acme/problem.hpp"
#include "mockdns/resolver/resolver.hpp"

namespace mockca::va {

struct Http01Options {
  std::uint16_t port = 80;  // where the first request goes (--http-port; Pebble's httpPort)
  int max_redirects = 10;   // as Go's client, which Pebble's VA uses
  std::chrono::milliseconds timeout{10000};  // per request
  std::size_t max_body_bytes = 64 * 1024;    // S-CHAL-13: a capped body
  std::string user_agent = "Anvil-mockca-VA";
};

// The http-01 check of RFC 8555 §8.3 (S-CHAL-09): GET
// http://<identifier>:<port>/.well-known/acme-challenge/<token>, names resolved through resolver
// (A first, then AAAA; the first address is used), following up to max_redirects redirects
// (301/302/303/307/308, http or https, certificates not verified, default ports 80/443 unless the
// Location names one). The final response must be 200 with a body equal to key_authorization
// once trailing whitespace is stripped.
// Returns ok; `dns` when a name does not resolve; `connection` when a fetch fails, times out or
// redirects too often; `unauthorized` for a non-200 status or a wrong body.
acme::Status ValidateHttp01(const acme::Identifier& identifier, const std::string& token,
                            const std::string& key_authorization,
                            mockdns::resolver::Resolver& resolver, const Http01Options& options);

}  // namespace mockca::va
