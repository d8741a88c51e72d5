#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>

#include "common/result.hpp"

namespace mockca::wfe {

// The External Account Binding MAC keys the CA has handed out (RFC 8555 §7.3.4): kid → raw key
// bytes. Filled from the config's externalAccountMACKeys (already base64url-decoded) and, at run
// time, from the management API (server/eab_management.hpp).
//
// Thread-safe: every method may be called concurrently from any thread.
class EabKeys {
 public:
  EabKeys() = default;
  EabKeys(const EabKeys&) = delete;
  EabKeys& operator=(const EabKeys&) = delete;

  // Adds kid with mac_key, replacing the key of a kid already present (its binding mark, see
  // Claim, stays). Fails, adding nothing, with a one-line reason when kid is empty or not printable
  // ASCII, 0x20..0x7e (S-EAB-04: key IDs are ASCII), or mac_key is empty.
  common::Status<std::string> Add(const std::string& kid, const std::string& mac_key);

  // The MAC key of kid, or nullopt when it is unknown.
  std::optional<std::string> Find(const std::string& kid) const;

  // S-EAB-05 (policy, off in Pebble): marks kid as bound to an account. True the first time for a
  // kid, false ever after; atomic, so of concurrent callers exactly one gets true.
  bool Claim(const std::string& kid);

  std::size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::string> keys_;  // guarded by mu_
  std::set<std::string> claimed_;            // guarded by mu_
};

}  // namespace mockca::wfe
