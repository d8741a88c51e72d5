#include "mockca/wfe/nonce_service.hpp"

#include <chrono>
#include <cstring>
#include <optional>

namespace mockca::wfe {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

// NonceService::Bytes (private).
using NonceBytes = std::array<std::uint8_t, 16>;

// The bytes of a nonce's text, or nullopt when it is not one this service could have issued (32
// lowercase hex digits).
std::optional<NonceBytes> BytesOf(const std::string& text) {
  if (text.size() != NonceBytes().size() * 2) {
    return std::nullopt;
  }
  NonceBytes bytes{};
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t digit = kHexDigits.find(text[i]);
    if (digit == std::string_view::npos) {
      return std::nullopt;
    }
    bytes[i / 2] = static_cast<std::uint8_t>(bytes[i / 2] << 4 | digit);
  }
  return bytes;
}

}  // namespace

std::size_t NonceService::BytesHash::operator()(const Bytes& bytes) const noexcept {
  std::uint64_t head;
  std::memcpy(&head, bytes.data(), sizeof head);
  return static_cast<std::size_t>(head);
}

NonceService::NonceService(common::Rng& rng, std::size_t capacity, unsigned reject_percent,
                           const common::Clock* clock, faults::FaultEngine* engine)
    : rng_(rng),
      capacity_(capacity == 0 ? 1 : capacity),
      reject_percent_(reject_percent),
      clock_(clock),
      engine_(engine) {}

std::string NonceService::Issue(std::string_view where) {
  std::string nonce = rng_.Hex(16);
  const Bytes bytes = *BytesOf(nonce);
  if (faults_armed()) {
    faults::Facts facts;
    facts.where = std::string(where);
    facts.subject = "Replay-Nonce " + std::string(where);
    for (const faults::Injection& injection : engine_->Match(faults::Stage::kNonce, facts)) {
      if (injection.fault.kind == faults::FaultKind::kInvalidNonce) {
        return nonce;  // well-formed, never recorded: its use gets badNonce
      }
    }
  }
  const common::Clock::TimePoint issued = clock_ ? clock_->Now() : common::Clock::TimePoint();
  std::lock_guard lock(mu_);
  // issue_order_ never holds more than capacity_ entries, so outstanding_ (a subset) cannot either.
  while (issue_order_.size() >= capacity_) {
    outstanding_.erase(issue_order_.front());
    issue_order_.pop_front();
  }
  outstanding_.emplace(bytes, issued);
  issue_order_.push_back(bytes);
  return nonce;
}

bool NonceService::Redeem(const std::string& nonce, const faults::Facts& facts) {
  const std::optional<Bytes> bytes = BytesOf(nonce);
  if (!bytes) {
    return false;
  }
  common::Clock::TimePoint issued;
  {
    std::lock_guard lock(mu_);
    const auto found = outstanding_.find(*bytes);
    if (found == outstanding_.end()) {
      return false;
    }
    issued = found->second;
    outstanding_.erase(found);
  }
  // Only valid nonces draw, so a run's draws depend only on what clients did right.
  if (reject_percent_ != 0 && rng_.Below(100) < reject_percent_) {
    return false;
  }
  return !(faults_armed() && FaultRefuses(issued, facts));
}

// F-NONCE-REJECT / F-NONCE-REJECT-STREAK (badNonce) and F-NONCE-TTL (nonceExpiry: the engine
// fires it only for a nonce older than its seconds, from facts.nonce_age).
bool NonceService::FaultRefuses(common::Clock::TimePoint issued, faults::Facts facts) const {
  if (clock_ != nullptr) {
    facts.nonce_age = std::chrono::duration_cast<std::chrono::milliseconds>(clock_->Now() - issued);
  }
  bool refused = false;
  for (const faults::Injection& injection : engine_->Match(faults::Stage::kNonce, facts)) {
    refused = refused || injection.fault.kind == faults::FaultKind::kBadNonce ||
              injection.fault.kind == faults::FaultKind::kNonceExpiry;
  }
  return refused;
}

std::size_t NonceService::outstanding() const {
  std::lock_guard lock(mu_);
  return outstanding_.size();
}

}  // namespace mockca::wfe
