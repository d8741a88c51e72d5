#include "mockca/wfe/nonce_service.hpp"

namespace mockca::wfe {

NonceService::NonceService(common::Rng& rng, std::size_t capacity, unsigned reject_percent)
    : rng_(rng), capacity_(capacity == 0 ? 1 : capacity), reject_percent_(reject_percent) {}

std::string NonceService::Issue() {
  std::string nonce = rng_.Hex(16);
  std::lock_guard lock(mu_);
  // issue_order_ never holds more than capacity_ entries, so outstanding_ (a subset) cannot either.
  while (issue_order_.size() >= capacity_) {
    outstanding_.erase(issue_order_.front());
    issue_order_.pop_front();
  }
  outstanding_.insert(nonce);
  issue_order_.push_back(nonce);
  return nonce;
}

bool NonceService::Redeem(const std::string& nonce) {
  {
    std::lock_guard lock(mu_);
    if (outstanding_.erase(nonce) != 1) {
      return false;
    }
  }
  // Only valid nonces draw, so a run's draws depend only on what clients did right.
  return reject_percent_ == 0 || rng_.Below(100) >= reject_percent_;
}

std::size_t NonceService::outstanding() const {
  std::lock_guard lock(mu_);
  return outstanding_.size();
}

}  // namespace mockca::wfe
