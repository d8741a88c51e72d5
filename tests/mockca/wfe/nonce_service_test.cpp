#include "mockca/wfe/nonce_service.hpp"

#include <set>

#include <catch2/catch.hpp>

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
