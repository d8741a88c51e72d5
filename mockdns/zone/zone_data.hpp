#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mockdns::zone {

struct CaaPolicy {
  std::uint8_t flags = 0;
  std::string tag;
  std::string value;
};

// The mock DNS data: challtestsrv's record maps plus our NXDOMAIN and TTL knobs. Plain data; every
// key is a canonical name (wire::CanonicalName: lowercase, trailing dot), so lookups are
// case-insensitive. IP values are validated literals.
struct ZoneData {
  std::string default_ipv4 = "127.0.0.1";  // answer for A without records; "" = none
  std::string default_ipv6 = "::1";        // same for AAAA
  std::uint32_t default_ttl = 0;           // challtestsrv answers with TTL 0
  std::map<std::string, std::vector<std::string>> a;
  std::map<std::string, std::vector<std::string>> aaaa;
  std::map<std::string, std::vector<std::string>> txt;
  std::map<std::string, std::vector<CaaPolicy>> caa;
  std::map<std::string, std::string> cname;  // name -> target (presentation form)
  std::map<std::string, std::uint32_t> ttl;  // per-name TTL override
  std::set<std::string> servfail;
  std::set<std::string> nxdomain;
};

}  // namespace mockdns::zone
