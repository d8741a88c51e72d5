#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/listen_address.hpp"
#include "common/result.hpp"
#include "faults/fault_rule.hpp"

namespace mockdns::server {

// Everything mockdns is told at start. Each list may be empty (that server is off).
struct MockDnsOptions {
  std::vector<common::ListenAddress> http01;
  std::vector<common::ListenAddress> https01;
  std::vector<common::ListenAddress> tls_alpn01;
  std::vector<common::ListenAddress> dns;
  std::vector<common::ListenAddress> doh;
  std::vector<common::ListenAddress> management;
  std::string default_ipv4 = "127.0.0.1";
  std::string default_ipv6 = "::1";
  std::string doh_cert;
  std::string doh_cert_key;
  std::optional<std::uint64_t> seed;
  std::vector<faults::FaultRule> fault_rules;  // --faults FILE, added to the engine at Start()
  bool verbose = false;
};

// Parses pebble-challtestsrv's flags (same names and defaults; -dns01 is the old name of
// -dnsserver) plus ours: --listen-all, --seed N, --faults FILE, --verbose. --faults is read here,
// so a bad rules file is an error naming the file and the member ("rules.json: faults[0].fault:
// ..."). On error returns the message; "help requested" for -h. usage receives the usage text
// either way.
common::Result<MockDnsOptions, std::string> ParseMockDnsFlags(int argc, const char* const* argv,
                                                              std::string* usage);

}  // namespace mockdns::server
