#pragma once

#include <chrono>
#include <string_view>
#include <vector>

namespace mockca::core {

using TimePoint = std::chrono::system_clock::time_point;

// The object states of RFC 8555 §7.1.6 (conformance.md §1.2).
enum class AccountStatus { kValid, kDeactivated, kRevoked };
enum class OrderStatus { kPending, kReady, kProcessing, kValid, kInvalid };
enum class AuthzStatus { kPending, kValid, kInvalid, kDeactivated, kExpired, kRevoked };
enum class ChallengeStatus { kPending, kProcessing, kValid, kInvalid };

// The wire names ("pending", "ready", ...).
std::string_view Name(AccountStatus status);
std::string_view Name(OrderStatus status);
std::string_view Name(AuthzStatus status);
std::string_view Name(ChallengeStatus status);

// Whether RFC 8555 §7.1.6 allows moving from one state to the other (conformance.md §1.2). Staying
// in the same state is allowed only for challenge processing -> processing (a retry). The store
// asserts these on every write, so no object can take an illegal step (S-ORD-05, S-AUTHZ-03).
bool IsLegalTransition(AccountStatus from, AccountStatus to);
bool IsLegalTransition(OrderStatus from, OrderStatus to);
bool IsLegalTransition(AuthzStatus from, AuthzStatus to);
bool IsLegalTransition(ChallengeStatus from, ChallengeStatus to);

// An authorization's status as a client sees it at now: a stored pending or valid authorization
// past its expiry reads as expired (RFC 8555 §7.1.6).
AuthzStatus EffectiveAuthzStatus(AuthzStatus stored, TimePoint expires, TimePoint now);

// What an order's status derives from; the store keeps these facts, never the status itself.
struct OrderFacts {
  TimePoint expires;
  bool failed = false;              // an error was recorded (e.g. issuance failed)
  bool began_processing = false;    // finalize was accepted
  bool has_certificate = false;     // issuance finished
  std::vector<AuthzStatus> authzs;  // effective statuses of its authorizations
};

// RFC 8555 §7.1.6, recomputed on every read (S-ORD-05): valid once a certificate exists; invalid
// on an error, on expiry before issuance, or when any authorization is invalid, deactivated,
// expired or revoked; processing once finalize was accepted; ready when every authorization is
// valid; pending otherwise. Unlike Pebble, order expiry counts (conformance.md Part E).
OrderStatus ComputeOrderStatus(const OrderFacts& facts, TimePoint now);

}  // namespace mockca::core
