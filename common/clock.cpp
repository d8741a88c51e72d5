#include "common/clock.hpp"

namespace common {

Clock::TimePoint FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void FakeClock::Advance(std::chrono::nanoseconds by) {
  std::lock_guard lock(mu_);
  now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by);
}

void FakeClock::Set(TimePoint to) {
  std::lock_guard lock(mu_);
  now_ = to;
}

}  // namespace common
