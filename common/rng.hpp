#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace common {

// The one source of randomness of a process: every component draws from the Rng it is given, so a
// run is reproducible from its seed. Thread-safe.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  Rng(const Rng&) = delete;
  Rng& operator=(const Rng&) = delete;

  // A seed from the operating system, for runs where the user gave none (log it).
  static std::uint64_t SeedFromOs();

  std::uint64_t seed() const { return seed_; }
  std::uint64_t Next();
  // Uniform in [0, bound); bound must be > 0.
  std::uint64_t Below(std::uint64_t bound);
  std::vector<std::uint8_t> Bytes(std::size_t count);
  // count random bytes as lowercase hex.
  std::string Hex(std::size_t count);

 private:
  const std::uint64_t seed_;
  std::mutex mu_;
  std::mt19937_64 engine_;  // guarded by mu_
};

}  // namespace common
