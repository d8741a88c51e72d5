#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

#include "common/rng.hpp"

namespace mockca::wfe {

// Issues and redeems Replay-Nonce values (RFC 8555 §6.5) from one pool (S-NONCE-09).
//
// A nonce is 128 random bits from the seeded Rng as 32 lowercase hex digits: unique, within the
// base64url alphabet (S-NONCE-04), and reproducible from the run's seed. Each is accepted once
// (S-NONCE-05). Memory is bounded: at most `capacity` nonces are outstanding; issuing past that
// forgets the oldest, whose later use gets badNonce, which clients must retry (RFC 8555 §6.5).
//
// Chaos (Pebble's PEBBLE_WFE_NONCEREJECT): with reject_percent > 0, each otherwise valid nonce is
// refused with that chance, drawn from the Rng (roll in 0..99 < reject_percent), and is consumed
// all the same, so the client must retry with the fresh nonce of the badNonce reply. REQUIRES:
// reject_percent <= 100 (100 refuses every nonce; mockca's environment parsing caps it at 99).
// Thread-safe.
class NonceService {
 public:
  static constexpr std::size_t kDefaultCapacity = 100'000;

  explicit NonceService(common::Rng& rng, std::size_t capacity = kDefaultCapacity,
                        unsigned reject_percent = 0);
  NonceService(const NonceService&) = delete;
  NonceService& operator=(const NonceService&) = delete;

  std::string Issue();
  // True at most once for a nonce this service issued and still holds (never when the
  // reject_percent draw refuses it); the nonce is struck either way, so a replay fails.
  bool Redeem(const std::string& nonce);
  std::size_t outstanding() const;

 private:
  common::Rng& rng_;
  const std::size_t capacity_;
  const unsigned reject_percent_;
  mutable std::mutex mu_;
  std::unordered_set<std::string> outstanding_;  // guarded by mu_
  std::deque<std::string> issue_order_;          // guarded by mu_; oldest first, may hold redeemed
};

}  // namespace mockca::wfe
