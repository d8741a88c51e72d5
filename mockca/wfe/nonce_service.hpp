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
// Thread-safe.
class NonceService {
 public:
  static constexpr std::size_t kDefaultCapacity = 100'000;

  explicit NonceService(common::Rng& rng, std::size_t capacity = kDefaultCapacity);
  NonceService(const NonceService&) = delete;
  NonceService& operator=(const NonceService&) = delete;

  std::string Issue();
  // True exactly once for a nonce this service issued and still holds; the nonce is struck either
  // way, so a replay fails.
  bool Redeem(const std::string& nonce);
  std::size_t outstanding() const;

 private:
  common::Rng& rng_;
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_set<std::string> outstanding_;  // guarded by mu_
  std::deque<std::string> issue_order_;          // guarded by mu_; oldest first, may hold redeemed
};

}  // namespace mockca::wfe
