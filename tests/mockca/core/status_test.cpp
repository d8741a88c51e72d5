#include "mockca/core/status.hpp"

#include <catch2/catch.hpp>

namespace status_test {

namespace {

using namespace std::chrono_literals;
using mockca::core::AuthzStatus;
using mockca::core::ChallengeStatus;
using mockca::core::ComputeOrderStatus;
using mockca::core::OrderFacts;
using mockca::core::OrderStatus;
using mockca::core::TimePoint;

const TimePoint kNow = TimePoint(1'700'000'000s);

OrderFacts Facts(std::vector<AuthzStatus> authzs) {
  OrderFacts facts;
  facts.expires = kNow + 1h;
  facts.authzs = std::move(authzs);
  return facts;
}

struct OrderCase {
  const char* name;
  OrderFacts facts;
  OrderStatus want;
};

// S-ORD-05: the order status is derived on every read from its facts (RFC 8555 §7.1.6).
TEST_CASE("ComputeOrderStatus derives every order state of RFC 8555 7.1.6", "[core][status]") {
  OrderFacts expired = Facts({AuthzStatus::kValid});
  expired.expires = kNow;
  OrderFacts processing = Facts({AuthzStatus::kValid});
  processing.began_processing = true;
  OrderFacts processing_past_expiry = processing;
  processing_past_expiry.expires = kNow - 1s;
  OrderFacts issued = processing;
  issued.has_certificate = true;
  OrderFacts failed = processing;
  failed.failed = true;

  const OrderCase cases[] = {
      {"pending while an authz is pending", Facts({AuthzStatus::kValid, AuthzStatus::kPending}),
       OrderStatus::kPending},
      {"ready when every authz is valid", Facts({AuthzStatus::kValid, AuthzStatus::kValid}),
       OrderStatus::kReady},
      {"invalid when an authz is invalid", Facts({AuthzStatus::kPending, AuthzStatus::kInvalid}),
       OrderStatus::kInvalid},
      {"invalid when an authz is deactivated", Facts({AuthzStatus::kDeactivated}),
       OrderStatus::kInvalid},
      {"invalid when an authz expired", Facts({AuthzStatus::kExpired}), OrderStatus::kInvalid},
      {"invalid when an authz is revoked", Facts({AuthzStatus::kRevoked}), OrderStatus::kInvalid},
      {"invalid once the order itself expired (S-ORD-06)", expired, OrderStatus::kInvalid},
      {"processing after finalize", processing, OrderStatus::kProcessing},
      {"processing is not cut short by expiry", processing_past_expiry, OrderStatus::kProcessing},
      {"valid once the certificate exists", issued, OrderStatus::kValid},
      {"invalid after a failed issuance", failed, OrderStatus::kInvalid},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      CHECK(ComputeOrderStatus(tc.facts, kNow) == tc.want);
    }
  }
}

TEST_CASE("A pending or valid authz past its expiry reads as expired", "[core][status]") {
  using mockca::core::EffectiveAuthzStatus;
  CHECK(EffectiveAuthzStatus(AuthzStatus::kPending, kNow + 1s, kNow) == AuthzStatus::kPending);
  CHECK(EffectiveAuthzStatus(AuthzStatus::kPending, kNow, kNow) == AuthzStatus::kExpired);
  CHECK(EffectiveAuthzStatus(AuthzStatus::kValid, kNow - 1s, kNow) == AuthzStatus::kExpired);
  CHECK(EffectiveAuthzStatus(AuthzStatus::kInvalid, kNow - 1s, kNow) == AuthzStatus::kInvalid);
  CHECK(EffectiveAuthzStatus(AuthzStatus::kDeactivated, kNow - 1s, kNow) ==
        AuthzStatus::kDeactivated);
}

// conformance.md §1.2, every pair of states.
TEST_CASE("Only the transitions of conformance.md 1.2 are legal", "[core][status]") {
  using mockca::core::IsLegalTransition;
  using O = OrderStatus;
  const O orders[] = {O::kPending, O::kReady, O::kProcessing, O::kValid, O::kInvalid};
  int legal_orders = 0;
  for (O from : orders) {
    for (O to : orders) {
      legal_orders += IsLegalTransition(from, to);
    }
  }
  CHECK(legal_orders == 6);
  CHECK(IsLegalTransition(O::kPending, O::kReady));
  CHECK(IsLegalTransition(O::kReady, O::kProcessing));
  CHECK(IsLegalTransition(O::kProcessing, O::kValid));
  CHECK_FALSE(IsLegalTransition(O::kPending, O::kProcessing));
  CHECK_FALSE(IsLegalTransition(O::kValid, O::kInvalid));

  using A = AuthzStatus;
  CHECK(IsLegalTransition(A::kPending, A::kValid));
  CHECK(IsLegalTransition(A::kValid, A::kDeactivated));
  CHECK(IsLegalTransition(A::kValid, A::kRevoked));
  CHECK_FALSE(IsLegalTransition(A::kValid, A::kInvalid));
  CHECK_FALSE(IsLegalTransition(A::kDeactivated, A::kValid));
  CHECK_FALSE(IsLegalTransition(A::kPending, A::kPending));

  using C = ChallengeStatus;
  CHECK(IsLegalTransition(C::kPending, C::kProcessing));
  CHECK(IsLegalTransition(C::kProcessing, C::kProcessing));  // a retry
  CHECK(IsLegalTransition(C::kProcessing, C::kInvalid));
  CHECK_FALSE(IsLegalTransition(C::kPending, C::kValid));
  CHECK_FALSE(IsLegalTransition(C::kValid, C::kProcessing));

  using Acc = mockca::core::AccountStatus;
  CHECK(IsLegalTransition(Acc::kValid, Acc::kDeactivated));
  CHECK(IsLegalTransition(Acc::kValid, Acc::kRevoked));
  CHECK_FALSE(IsLegalTransition(Acc::kDeactivated, Acc::kValid));
  CHECK_FALSE(IsLegalTransition(Acc::kRevoked, Acc::kDeactivated));
}

TEST_CASE("Status names are the RFC 8555 wire names", "[core][status]") {
  using mockca::core::Name;
  CHECK(Name(OrderStatus::kProcessing) == "processing");
  CHECK(Name(AuthzStatus::kDeactivated) == "deactivated");
  CHECK(Name(ChallengeStatus::kInvalid) == "invalid");
  CHECK(Name(mockca::core::AccountStatus::kRevoked) == "revoked");
}

}  // namespace

}  // namespace status_test
