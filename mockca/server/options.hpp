#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/listen_address.hpp"
#include "common/result.hpp"
#include "mockca/ca/hierarchy.hpp"

namespace mockca::server {

// Everything mockca is told at start.
struct MockCaOptions {
  std::vector<common::ListenAddress> acme;        // the ACME server (HTTPS), default :14000
  std::vector<common::ListenAddress> management;  // roots and intermediates (HTTPS), default :15000
  std::string tls_cert;  // PEM chain for both listeners; empty: the built-in localhost certificate
  std::string tls_key;
  // The VA's resolver. Empty: mockca starts an embedded mockdns and resolves through it.
  std::string dns_server;
  std::uint16_t http_port = 80;  // where http-01 validation connects (Pebble's httpPort)
  std::uint16_t tls_port = 443;  // where tls-alpn-01 validation connects (Pebble's tlsPort)
  ca::KeyAlgorithm key_algorithm = ca::KeyAlgorithm::kEcdsaP256;
  // The embedded mockdns's listeners (ignored with dns_server): pebble-challtestsrv's defaults.
  std::vector<common::ListenAddress> mockdns_dns;
  std::vector<common::ListenAddress> mockdns_management;
  std::vector<common::ListenAddress> mockdns_http01;
  std::vector<common::ListenAddress> mockdns_tls_alpn01;
  std::optional<std::uint64_t> seed;
  bool verbose = false;
};

// Parses mockca's flags (see --help; Pebble's -dnsserver is an alias of --dns-server). On error
// returns the message; "help requested" for -h. usage receives the usage text either way.
common::Result<MockCaOptions, std::string> ParseMockCaFlags(int argc, const char* const* argv,
                                                            std::string* usage);

}  // namespace mockca::server
