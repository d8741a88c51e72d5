#include "mockca/core/objects.hpp"

#include <catch2/catch.hpp>

namespace objects_test {

namespace {

using namespace std::chrono_literals;
using mockca::core::AuthzStatus;
using mockca::core::TimePoint;

const TimePoint kNow = TimePoint(1'700'000'000s);

// S-ORD-05: the order facts come from the stored order, never from a stored status.
TEST_CASE("FactsFor copies the order's facts and the given authz statuses", "[core][objects]") {
  mockca::core::Order order;
  order.expires = kNow + 1h;
  mockca::core::OrderFacts plain = mockca::core::FactsFor(order, {AuthzStatus::kValid});
  CHECK(plain.expires == kNow + 1h);
  CHECK_FALSE(plain.failed);
  CHECK_FALSE(plain.began_processing);
  CHECK_FALSE(plain.has_certificate);
  CHECK(plain.authzs == std::vector<AuthzStatus>{AuthzStatus::kValid});

  order.error = mockca::acme::ServerInternal("boom");
  order.began_processing = true;
  order.certificate_id = "c1";
  mockca::core::OrderFacts full = mockca::core::FactsFor(order, {});
  CHECK(full.failed);
  CHECK(full.began_processing);
  CHECK(full.has_certificate);
}

// RFC 8555 §7.1.6: a pending or valid authorization past expires reads as expired.
TEST_CASE("EffectiveStatus derives expired from the authorization's expires", "[core][objects]") {
  mockca::core::Authorization authz;
  authz.status = AuthzStatus::kValid;
  authz.expires = kNow + 1s;
  CHECK(mockca::core::EffectiveStatus(authz, kNow) == AuthzStatus::kValid);
  CHECK(mockca::core::EffectiveStatus(authz, kNow + 1s) == AuthzStatus::kExpired);
  authz.status = AuthzStatus::kDeactivated;
  CHECK(mockca::core::EffectiveStatus(authz, kNow + 1s) == AuthzStatus::kDeactivated);
}

TEST_CASE("FindChallenge finds a challenge of an authorization by id", "[core][objects]") {
  mockca::core::Authorization authz;
  authz.challenges.resize(2);
  authz.challenges[0].id = "a";
  authz.challenges[0].type = "http-01";
  authz.challenges[1].id = "b";
  authz.challenges[1].type = "dns-01";
  const mockca::core::Authorization& const_authz = authz;
  REQUIRE(mockca::core::FindChallenge(const_authz, "b") != nullptr);
  CHECK(mockca::core::FindChallenge(const_authz, "b")->type == "dns-01");
  CHECK(mockca::core::FindChallenge(authz, "zz") == nullptr);
  mockca::core::FindChallenge(authz, "a")->token = "t";
  CHECK(authz.challenges[0].token == "t");
}

}  // namespace

}  // namespace objects_test
