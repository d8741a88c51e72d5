#include "mockca/wfe/nonce_service.hpp"

#include <cctype>
#include <set>
#include <string>

#include <catch2/catch.hpp>

namespace nonce_service_test {

namespace {

using mockca::wfe::NonceService;

// S-NONCE-04: unique, unpredictable, base64url characters only.
TEST_CASE("Nonces are unique and use only base64url characters", "[wfe][nonce]") {
  common::Rng rng(1);
  NonceService nonces(rng);
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string nonce = nonces.Issue();
    REQUIRE(nonce.size() == 32);
    REQUIRE(nonce.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
            std::string::npos);
    seen.insert(nonce);
  }
  CHECK(seen.size() == 10000);
}

// S-NONCE-05: only issued nonces, each once.
TEST_CASE("A nonce is accepted once and an unknown nonce never", "[wfe][nonce]") {
  common::Rng rng(2);
  NonceService nonces(rng);
  const std::string nonce = nonces.Issue();
  CHECK_FALSE(nonces.Redeem("00000000000000000000000000000000"));
  CHECK(nonces.Redeem(nonce));
  CHECK_FALSE(nonces.Redeem(nonce));
  CHECK(nonces.outstanding() == 0);
}

TEST_CASE("Outstanding nonces are bounded and the oldest are forgotten first", "[wfe][nonce]") {
  common::Rng rng(3);
  NonceService nonces(rng, 3);
  const std::string first = nonces.Issue();
  const std::string second = nonces.Issue();
  CHECK(nonces.Redeem(second));  // redeemed entries still count toward the bound until evicted
  nonces.Issue();
  nonces.Issue();
  CHECK(nonces.outstanding() <= 3);
  CHECK_FALSE(nonces.Redeem(first));  // evicted: the client gets badNonce and retries
  for (int i = 0; i < 1000; ++i) {
    nonces.Issue();
  }
  CHECK(nonces.outstanding() == 3);
}

TEST_CASE("The same seed gives the same nonces", "[wfe][nonce]") {
  common::Rng a(42), b(42);
  NonceService first(a), second(b);
  CHECK(first.Issue() == second.Issue());
}

}  // namespace

namespace {

// PEBBLE_WFE_NONCEREJECT: a valid nonce is refused with the configured chance and struck anyway.
TEST_CASE("reject_percent refuses that share of valid nonces and consumes them", "[wfe][nonce]") {
  constexpr int kTries = 2000;
  auto rejected = [](unsigned percent) {
    common::Rng rng(4);
    NonceService nonces(rng, NonceService::kDefaultCapacity, percent);
    int count = 0;
    for (int i = 0; i < kTries; ++i) {
      const std::string nonce = nonces.Issue();
      if (!nonces.Redeem(nonce)) {
        ++count;
        CHECK_FALSE(nonces.Redeem(nonce));  // consumed: the client must use a fresh one
      }
    }
    CHECK(nonces.outstanding() == 0);
    return count;
  };
  CHECK(rejected(0) == 0);
  CHECK(rejected(100) == kTries);  // the service honours 100; the environment caps it at 99
  const int most = rejected(99);
  CHECK(most > kTries * 95 / 100);
  CHECK(most < kTries);
  const int some = rejected(20);
  CHECK(some > kTries * 15 / 100);
  CHECK(some < kTries * 25 / 100);
  CHECK(rejected(20) == some);  // the seeded Rng makes a run reproducible
}

TEST_CASE("An unknown nonce is refused without a draw", "[wfe][nonce]") {
  common::Rng rng(5);
  NonceService nonces(rng, NonceService::kDefaultCapacity, 50);
  CHECK_FALSE(nonces.Redeem("00000000000000000000000000000000"));
}

}  // namespace

namespace {

// The service keeps each nonce as its 16 bytes: only the exact text it issued redeems it.
TEST_CASE("Only the exact text of an issued nonce redeems it", "[wfe][nonce]") {
  common::Rng rng(5), same(5);
  NonceService nonces(rng);
  const std::string nonce = nonces.Issue();
  CHECK(nonce == same.Hex(16));  // the Rng's bytes as lowercase hex, as before
  std::string upper = nonce;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const bool has_letter = upper != nonce;
  for (const std::string& wrong :
       {nonce.substr(0, 31), nonce + "0", std::string(), nonce.substr(0, 31) + "g",
        nonce.substr(0, 30) + "-_", has_letter ? upper : nonce.substr(1) + "x"}) {
    INFO(wrong);
    CHECK_FALSE(nonces.Redeem(wrong));
  }
  CHECK(nonces.outstanding() == 1);
  CHECK(nonces.Redeem(nonce));
}

}  // namespace

}  // namespace nonce_service_test
