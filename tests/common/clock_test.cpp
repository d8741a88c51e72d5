#include "common/clock.hpp"

#include <chrono>

#include <catch2/catch.hpp>

namespace clock_test {

namespace {

using namespace std::chrono_literals;
using common::Clock;

TEST_CASE("FakeClock stands still until advanced", "[common][clock]") {
  const Clock::TimePoint start = std::chrono::system_clock::from_time_t(1'700'000'000);
  common::FakeClock clock(start);
  CHECK(clock.Now() == start);
  CHECK(clock.Now() == start);

  clock.Advance(90s);
  CHECK(clock.Now() == start + 90s);
  clock.Advance(250ms);
  CHECK(clock.Now() == start + 90s + 250ms);
}

TEST_CASE("FakeClock Set jumps to the given instant, also backwards", "[common][clock]") {
  const Clock::TimePoint start = std::chrono::system_clock::from_time_t(1'700'000'000);
  common::FakeClock clock(start);
  clock.Set(start - 24h);
  CHECK(clock.Now() == start - 24h);
}

TEST_CASE("FakeClock is usable through the Clock interface", "[common][clock]") {
  const Clock::TimePoint start = std::chrono::system_clock::from_time_t(0);
  common::FakeClock fake(start);
  const Clock& clock = fake;
  fake.Advance(1h);
  CHECK(clock.Now() - start == 1h);
}

TEST_CASE("SystemClock follows the system time", "[common][clock]") {
  common::SystemClock clock;
  const auto before = std::chrono::system_clock::now();
  const auto now = clock.Now();
  CHECK(now >= before);
  CHECK(now - before < 60s);
}

}  // namespace

}  // namespace clock_test
