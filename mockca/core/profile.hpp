#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace mockca::core {

// An ACME profile (draft-ietf-acme-profiles; Pebble's `profiles` config entry, pebble.md §1.2).
struct Profile {
  std::string description;  // directory meta.profiles (S-PROF-01, S-DIR-07)
  // The leaf's validity when the order gave no notAfter: notAfter = notBefore + validity - 1 s.
  // Pebble's rule (0 or >= 9223372038 s means 90 days) is applied by the config parser; finalize
  // saturates an end past what the clock can represent (year 2262).
  std::chrono::seconds validity{std::chrono::days(90)};
  // Copy the first dns identifier, else the first ip, into the leaf's subject CN (Pebble >= 2.9).
  bool promote_common_name = false;
};

// The profiles a CA offers, by name. Sorted, so "the first name" is well defined.
using ProfileTable = std::map<std::string, Profile>;

// The profile name newOrder assigns when the client names none (S-PROF-03). Pebble picks a random
// configured profile; mockca is deterministic: "default" when offered, else the first name in
// sorted (byte) order; nullopt when no profile is offered.
inline std::optional<std::string> DefaultProfileName(const ProfileTable& profiles) {
  if (profiles.contains("default")) {
    return "default";
  }
  if (profiles.empty()) {
    return std::nullopt;
  }
  return profiles.begin()->first;
}

}  // namespace mockca::core
