#include "common/rng.hpp"

namespace common {

Rng::Rng(std::uint64_t seed) : seed_(seed), engine_(seed) {}

std::uint64_t Rng::SeedFromOs() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

std::uint64_t Rng::Next() {
  std::lock_guard lock(mu_);
  return engine_();
}

std::uint64_t Rng::Below(std::uint64_t bound) {
  std::lock_guard lock(mu_);
  return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(engine_);
}

std::vector<std::uint8_t> Rng::Bytes(std::size_t count) {
  std::vector<std::uint8_t> out(count);
  std::lock_guard lock(mu_);
  for (auto& byte : out) {
    byte = static_cast<std::uint8_t>(engine_());
  }
  return out;
}

std::string Rng::Hex(std::size_t count) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t byte : Bytes(count)) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 15]);
  }
  return out;
}

}  // namespace common
