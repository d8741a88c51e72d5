#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/rng.hpp"
#include "faults/fault_engine.hpp"

namespace mockca::wfe {

// Issues and redeems Replay-Nonce values (RFC 8555 §6.5) from one pool (S-NONCE-09).
//
// A nonce is 128 random bits from the seeded Rng as 32 lowercase hex digits: unique, within the
// base64url alphabet (S-NONCE-04), and reproducible from the run's seed. The service keeps the 16
// bytes, not the text: RSS grows about 78 bytes per outstanding nonce instead of 206. Each is
// accepted once (S-NONCE-05). Memory is bounded: at most `capacity` nonces are outstanding; issuing
// past that forgets the oldest, whose later use gets badNonce, which clients must retry (RFC 8555
// §6.5).
//
// Chaos (Pebble's PEBBLE_WFE_NONCEREJECT): with reject_percent > 0, each otherwise valid nonce is
// refused with that chance, drawn from the Rng (roll in 0..99 < reject_percent), and is consumed
// all the same, so the client must retry with the fresh nonce of the badNonce reply. REQUIRES:
// reject_percent <= 100 (100 refuses every nonce; mockca's environment parsing caps it at 99).
//
// Fault rules (conformance.md Part C), asked at faults::Stage::kNonce when engine is set and not
// idle:
//  - Issue: "invalidNonce" hands out a well-formed nonce that is never recorded, so its use gets
//    badNonce (F-NONCE-GARBAGE, the legal part);
//  - Redeem: "badNonce" refuses an otherwise valid nonce, consumed (F-NONCE-REJECT,
//    F-NONCE-REJECT-STREAK); "nonceExpiry" refuses one issued more than `seconds` ago
//    (F-NONCE-TTL; needs clock, without which it has no effect).
// Thread-safe. REQUIRES: rng, clock and engine outlive the service.
class NonceService {
 public:
  static constexpr std::size_t kDefaultCapacity = 100'000;

  explicit NonceService(common::Rng& rng, std::size_t capacity = kDefaultCapacity,
                        unsigned reject_percent = 0, const common::Clock* clock = nullptr,
                        faults::FaultEngine* engine = nullptr);
  NonceService(const NonceService&) = delete;
  NonceService& operator=(const NonceService&) = delete;

  // where: the endpoint kind of the response that carries the nonce ("newNonce", "newOrder", ...;
  // faults::Facts::where), for fault rules.
  std::string Issue(std::string_view where = {});
  // True at most once for a nonce this service issued and still holds (never when the
  // reject_percent draw or a fault rule refuses it); the nonce is struck either way, so a replay
  // fails. facts describe the request that redeems it (Facts::where its endpoint kind); they are
  // matched against the fault rules only for a nonce that would otherwise be accepted.
  bool Redeem(const std::string& nonce, const faults::Facts& facts = {});
  std::size_t outstanding() const;

  // Whether Redeem's facts are looked at: a fault engine is set and has rules. Callers may skip
  // building facts otherwise.
  bool faults_armed() const { return engine_ != nullptr && !engine_->Idle(); }

 private:
  using Bytes = std::array<std::uint8_t, 16>;
  // The bytes are random: the first eight of them are hash enough.
  struct BytesHash {
    std::size_t operator()(const Bytes& bytes) const noexcept;
  };

  // Whether a fault rule refuses a nonce issued at `issued` that is otherwise valid.
  bool FaultRefuses(common::Clock::TimePoint issued, faults::Facts facts) const;

  common::Rng& rng_;
  const std::size_t capacity_;
  const unsigned reject_percent_;
  const common::Clock* const clock_;   // may be null: issue times are then all the epoch
  faults::FaultEngine* const engine_;  // may be null: no fault rules
  mutable std::mutex mu_;
  // Outstanding nonces and when each was issued.
  std::unordered_map<Bytes, common::Clock::TimePoint, BytesHash> outstanding_;  // guarded by mu_
  std::deque<Bytes> issue_order_;  // guarded by mu_; oldest first, may hold redeemed
};

}  // namespace mockca::wfe
