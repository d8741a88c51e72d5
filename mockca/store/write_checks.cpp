#include "mockca/store/write_checks.hpp"

#include <string>

namespace mockca::store {
namespace {

acme::Problem Refused(const std::string& what) {
  return acme::ServerInternal("store refused write: " + what);
}

template <typename Status>
acme::Status CheckStep(const char* kind, Status from, Status to) {
  if (from != to && !core::IsLegalTransition(from, to)) {
    return Refused(std::string(kind) + " status " + std::string(core::Name(from)) + " -> " +
                   std::string(core::Name(to)) + " is not allowed by RFC 8555 7.1.6");
  }
  return {};
}

acme::Status CheckChallenges(const core::Authorization& before, const core::Authorization& after) {
  if (before.challenges.size() != after.challenges.size()) {
    return Refused("challenge list changed");
  }
  for (std::size_t i = 0; i < before.challenges.size(); ++i) {
    const core::Challenge& b = before.challenges[i];
    const core::Challenge& a = after.challenges[i];
    if (b.id != a.id || b.type != a.type || b.token != a.token) {
      return Refused("challenge " + b.id + " identity changed");
    }
    if (b.error != nullptr && a.error == nullptr) {
      return Refused("challenge " + b.id + " error cleared");
    }
    if (acme::Status step = CheckStep("challenge", b.status, a.status); !step) {
      return step;
    }
  }
  return {};
}

}  // namespace

acme::Status CheckAccountWrite(const core::Account& before, const core::Account& after) {
  if (before.id != after.id || before.created != after.created) {
    return Refused("account id or created changed");
  }
  return CheckStep("account", before.status, after.status);
}

acme::Status CheckAuthzWrite(const core::Authorization& before, const core::Authorization& after) {
  if (before.id != after.id || before.account_id != after.account_id ||
      before.identifier != after.identifier || before.wildcard != after.wildcard) {
    return Refused("authorization " + before.id + " identity changed");
  }
  if (after.status == core::AuthzStatus::kExpired) {
    return Refused("expired is derived, never stored");
  }
  if (acme::Status step = CheckStep("authorization", before.status, after.status); !step) {
    return step;
  }
  return CheckChallenges(before, after);
}

acme::Status CheckOrderWrite(const core::Order& before, const core::Order& after,
                             const std::vector<core::AuthzStatus>& effective, core::TimePoint now) {
  if (before.id != after.id || before.account_id != after.account_id ||
      before.identifiers != after.identifiers || before.authz_ids != after.authz_ids ||
      before.created != after.created || before.expires != after.expires ||
      before.not_before != after.not_before || before.not_after != after.not_after) {
    return Refused("order " + before.id + " immutable field changed (S-ORD-04)");
  }
  if ((before.began_processing && !after.began_processing) ||
      (before.error.has_value() && !after.error.has_value()) ||
      (!before.certificate_id.empty() && before.certificate_id != after.certificate_id)) {
    return Refused("order " + before.id + " fact cleared or replaced");
  }
  core::OrderStatus from = core::ComputeOrderStatus(core::FactsFor(before, effective), now);
  core::OrderStatus to = core::ComputeOrderStatus(core::FactsFor(after, effective), now);
  return CheckStep("order", from, to);
}

acme::Status CheckCertificateWrite(const core::Certificate& before,
                                   const core::Certificate& after) {
  if (before.id != after.id || before.order_id != after.order_id ||
      before.account_id != after.account_id || before.serial_hex != after.serial_hex ||
      before.der != after.der || before.issued != after.issued) {
    return Refused("certificate " + before.id + " immutable field changed");
  }
  if (before.revoked.has_value() &&
      (!after.revoked.has_value() || after.revoked->reason != before.revoked->reason ||
       after.revoked->when != before.revoked->when)) {
    return Refused("certificate " + before.id + " revocation cleared or replaced");
  }
  return {};
}

}  // namespace mockca::store
