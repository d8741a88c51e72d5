#pragma once

#include "mockca/acme/problem.hpp"
#include "mockca/core/objects.hpp"

namespace mockca::store {

// The rules every store write obeys, as pure functions of the object before and after the write.
// Each returns ok, or a ServerInternal problem (500) naming the broken rule: a refused write is a
// bug in the caller, never something to apply silently (conformance.md §1.2). Thread-compatible.

// Id and created unchanged; status changes only per IsLegalTransition (S-ACCT-10, S-ACCT-11).
acme::Status CheckAccountWrite(const core::Account& before, const core::Account& after);

// Id, account_id, identifier, wildcard and the challenge list (ids, types, tokens) unchanged; the
// stored status is never kExpired and changes only per IsLegalTransition (S-AUTHZ-03); each
// challenge status changes only per IsLegalTransition, and a set error is never cleared.
acme::Status CheckAuthzWrite(const core::Authorization& before, const core::Authorization& after);

// Id, account_id, identifiers, authz_ids (S-ORD-04), created, expires, not_before and not_after
// unchanged; began_processing, error and certificate_id are never cleared or replaced; and the
// derived status at now, computed with the same authorization statuses, either stays or takes a
// legal step (S-ORD-05). effective holds the order's authorizations' effective statuses.
acme::Status CheckOrderWrite(const core::Order& before, const core::Order& after,
                             const std::vector<core::AuthzStatus>& effective, core::TimePoint now);

// Id, order_id, account_id, serial_hex, der and issued unchanged; a revocation is never cleared or
// replaced (RFC 8555 §7.6).
acme::Status CheckCertificateWrite(const core::Certificate& before, const core::Certificate& after);

}  // namespace mockca::store
