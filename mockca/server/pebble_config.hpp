#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace mockca::server {

// One ACME profile of the config (Pebble >= 2.7), offered in the directory's meta.profiles.
struct ProfileConfig {
  std::string description;
  // Seconds; Pebble's rule: 0 or >= 9223372038 means 7776000 (90 days).
  std::uint64_t validity_period = 7776000;
  bool promote_common_name = false;
};

// Pebble's JSON config, {"pebble": {...}} (pebble.md §1.2). A member is nullopt/empty when the
// file does not set it (JSON null counts as absent, as in Go); the caller applies defaults.
struct PebbleConfig {
  std::optional<std::string> listen_address;
  std::optional<std::string> management_listen_address;
  std::optional<std::string> certificate;  // PEM paths, relative to the working directory
  std::optional<std::string> private_key;
  std::optional<std::uint16_t> http_port;  // 0 is taken as absent (Go's zero value)
  std::optional<std::uint16_t> tls_port;
  std::optional<std::string> ocsp_responder_url;
  std::optional<bool> external_account_binding_required;
  // kid → the decoded HMAC key bytes (the file holds unpadded base64url, as Pebble requires).
  std::map<std::string, std::string> external_account_mac_keys;
  std::optional<std::vector<std::string>> caa_identities;
  std::vector<std::string> domain_blocklist;  // lowercased
  std::optional<std::string> key_algorithm;   // "rsa" or "ecdsa"
  std::map<std::string, ProfileConfig> profiles;
  std::optional<std::uint64_t> retry_after_authz;  // seconds; 0 = no Retry-After
  std::optional<std::uint64_t> retry_after_order;
  std::optional<std::uint64_t> certificate_validity_period;  // parsed, ignored (Pebble >= 2.7)
};

// Parses the config text. Keys match case-insensitively, as Go's encoding/json does (when one key
// appears in several spellings, which one wins is unspecified; Go takes the last in the file). An
// unknown key adds a warning naming it; a missing "pebble" object, bad JSON, a value of the wrong
// type or out of range (ports 0..65535, keyAlgorithm rsa|ecdsa, a MAC key that is not unpadded
// base64url) fails with a message naming the key, e.g. "pebble.httpPort: expected an integer
// 0..65535, got \"x\"".
common::Result<PebbleConfig, std::string> ParsePebbleConfig(const std::string& text,
                                                            std::vector<std::string>* warnings);

// Reads and parses the file at path ("<path>: ..." on failure).
common::Result<PebbleConfig, std::string> LoadPebbleConfig(const std::string& path,
                                                           std::vector<std::string>* warnings);

}  // namespace mockca::server
