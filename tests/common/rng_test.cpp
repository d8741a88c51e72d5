#include "common/rng.hpp"

#include <set>

#include <catch2/catch.hpp>

namespace rng_test {

namespace {

TEST_CASE("Rng with the same seed yields the same sequence", "[common][rng]") {
  common::Rng a(42);
  common::Rng b(42);
  CHECK(a.seed() == 42);
  for (int i = 0; i < 100; ++i) {
    REQUIRE(a.Next() == b.Next());
  }
  CHECK(a.Hex(16) == b.Hex(16));
  CHECK(a.Bytes(9) == b.Bytes(9));
  CHECK(a.Below(1000) == b.Below(1000));
}

TEST_CASE("Rng with different seeds yields different sequences", "[common][rng]") {
  common::Rng a(42);
  common::Rng b(43);
  bool differs = false;
  for (int i = 0; i < 8; ++i) {
    differs = differs || a.Next() != b.Next();
  }
  CHECK(differs);
}

TEST_CASE("Rng Below stays under its bound and reaches every value", "[common][rng]") {
  common::Rng rng(7);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::uint64_t value = rng.Below(10);
    REQUIRE(value < 10);
    seen.insert(value);
  }
  CHECK(seen.size() == 10);
  CHECK(rng.Below(1) == 0);
}

TEST_CASE("Rng Hex gives two lowercase hex digits per byte", "[common][rng]") {
  common::Rng rng(1);
  for (std::size_t count : {0u, 1u, 16u, 33u}) {
    DYNAMIC_SECTION("count " << count) {
      const std::string hex = rng.Hex(count);
      CHECK(hex.size() == 2 * count);
      CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
    }
  }
}

TEST_CASE("Rng Bytes returns the requested count", "[common][rng]") {
  common::Rng rng(1);
  CHECK(rng.Bytes(0).empty());
  CHECK(rng.Bytes(7).size() == 7);
}

TEST_CASE("Rng SeedFromOs varies between calls", "[common][rng]") {
  // Two 64-bit draws from the OS colliding is practically impossible.
  CHECK(common::Rng::SeedFromOs() != common::Rng::SeedFromOs());
}

}  // namespace

}  // namespace rng_test
