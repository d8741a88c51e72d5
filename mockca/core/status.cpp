#include "mockca/core/status.hpp"

#include <algorithm>

namespace mockca::core {

std::string_view Name(AccountStatus status) {
  switch (status) {
    case AccountStatus::kValid:
      return "valid";
    case AccountStatus::kDeactivated:
      return "deactivated";
    case AccountStatus::kRevoked:
      return "revoked";
  }
  return "invalid-status";
}

std::string_view Name(OrderStatus status) {
  switch (status) {
    case OrderStatus::kPending:
      return "pending";
    case OrderStatus::kReady:
      return "ready";
    case OrderStatus::kProcessing:
      return "processing";
    case OrderStatus::kValid:
      return "valid";
    case OrderStatus::kInvalid:
      return "invalid";
  }
  return "invalid-status";
}

std::string_view Name(AuthzStatus status) {
  switch (status) {
    case AuthzStatus::kPending:
      return "pending";
    case AuthzStatus::kValid:
      return "valid";
    case AuthzStatus::kInvalid:
      return "invalid";
    case AuthzStatus::kDeactivated:
      return "deactivated";
    case AuthzStatus::kExpired:
      return "expired";
    case AuthzStatus::kRevoked:
      return "revoked";
  }
  return "invalid-status";
}

std::string_view Name(ChallengeStatus status) {
  switch (status) {
    case ChallengeStatus::kPending:
      return "pending";
    case ChallengeStatus::kProcessing:
      return "processing";
    case ChallengeStatus::kValid:
      return "valid";
    case ChallengeStatus::kInvalid:
      return "invalid";
  }
  return "invalid-status";
}

bool IsLegalTransition(AccountStatus from, AccountStatus to) {
  return from == AccountStatus::kValid && to != AccountStatus::kValid;
}

bool IsLegalTransition(OrderStatus from, OrderStatus to) {
  using S = OrderStatus;
  switch (from) {
    case S::kPending:
      return to == S::kReady || to == S::kInvalid;
    case S::kReady:
      return to == S::kProcessing || to == S::kInvalid;
    case S::kProcessing:
      return to == S::kValid || to == S::kInvalid;
    case S::kValid:
    case S::kInvalid:
      return false;
  }
  return false;
}

bool IsLegalTransition(AuthzStatus from, AuthzStatus to) {
  using S = AuthzStatus;
  switch (from) {
    case S::kPending:
      return to == S::kValid || to == S::kInvalid || to == S::kDeactivated || to == S::kExpired ||
             to == S::kRevoked;
    case S::kValid:
      return to == S::kDeactivated || to == S::kExpired || to == S::kRevoked;
    case S::kInvalid:
    case S::kDeactivated:
    case S::kExpired:
    case S::kRevoked:
      return false;
  }
  return false;
}

bool IsLegalTransition(ChallengeStatus from, ChallengeStatus to) {
  using S = ChallengeStatus;
  switch (from) {
    case S::kPending:
      return to == S::kProcessing;
    case S::kProcessing:
      return to == S::kProcessing || to == S::kValid || to == S::kInvalid;
    case S::kValid:
    case S::kInvalid:
      return false;
  }
  return false;
}

AuthzStatus EffectiveAuthzStatus(AuthzStatus stored, TimePoint expires, TimePoint now) {
  if ((stored == AuthzStatus::kPending || stored == AuthzStatus::kValid) && now >= expires) {
    return AuthzStatus::kExpired;
  }
  return stored;
}

OrderStatus ComputeOrderStatus(const OrderFacts& facts, TimePoint now) {
  if (facts.has_certificate) {
    return OrderStatus::kValid;
  }
  if (facts.failed) {
    return OrderStatus::kInvalid;
  }
  if (facts.began_processing) {
    return OrderStatus::kProcessing;  // issuance is under way; its own outcome decides
  }
  if (now >= facts.expires) {
    return OrderStatus::kInvalid;
  }
  const auto is = [&](std::initializer_list<AuthzStatus> any) {
    return std::any_of(facts.authzs.begin(), facts.authzs.end(), [&](AuthzStatus s) {
      return std::find(any.begin(), any.end(), s) != any.end();
    });
  };
  if (is({AuthzStatus::kInvalid, AuthzStatus::kDeactivated, AuthzStatus::kExpired,
          AuthzStatus::kRevoked})) {
    return OrderStatus::kInvalid;
  }
  if (facts.authzs.empty() || is({AuthzStatus::kPending})) {
    return OrderStatus::kPending;
  }
  return OrderStatus::kReady;
}

}  // namespace mockca::core
