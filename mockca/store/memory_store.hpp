#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/core/objects.hpp"

namespace mockca::store {

// Why an account write was refused. When the key belongs to another account, existing_account_id
// names it so the WFE can answer newAccount with 200 + Location (S-ACCT-03, Pebble's
// ExistingAccountError) or keyChange with 409 + Location (S-KEY-05). problem is then a 409
// malformed; otherwise it is a 404 malformed (unknown id) or a 500 serverInternal (illegal write).
struct AccountError {
  acme::Problem problem;
  std::string existing_account_id;  // empty unless the key is already in use
};
template <typename T>
using AccountResult = common::Result<T, AccountError>;

// A challenge found by its id, with the authorization that holds it.
struct FoundChallenge {
  std::string authz_id;
  core::Challenge challenge;
};

// One page of an account's orders (S-ACCT-13): ids oldest first, newest last.
struct OrderPage {
  std::vector<std::string> order_ids;
  bool has_next = false;  // another page follows (Link rel="next", S-LINK-04)
};

// How many objects the store holds, for tests and metrics.
struct StoreCounts {
  std::size_t accounts = 0;
  std::size_t orders = 0;
  std::size_t authorizations = 0;
  std::size_t challenges = 0;
  std::size_t certificates = 0;
};

// Mutators run under the store's write lock on a copy of the object. Returning an error aborts the
// write (nothing changes) and the error is passed through, so check-then-set steps (e.g. "the
// challenge must still be pending") are atomic. REQUIRES: a mutator does not call the store.
using AccountMutator = std::function<acme::Status(core::Account&)>;
using OrderMutator = std::function<acme::Status(core::Order&)>;
using AuthzMutator = std::function<acme::Status(core::Authorization&)>;
using CertificateMutator = std::function<acme::Status(core::Certificate&)>;

// Pebble's db.MemoryStore: every ACME object of one CA, indexed for the WFE.
//
// Thread-safe: one std::shared_mutex guards all state (anchors §5). Reads take it shared and return
// copies; writes take it exclusive and go through Update*(id, fn), which applies fn to a copy,
// checks the result against write_checks.hpp and only then stores it. Objects refer to each other
// by id.
//
// Get*/Find* return a copy, or nullopt when there is no such object (never a reference into the
// store).
//
// Ids are 128 random bits from the injected Rng as 22 unpadded base64url characters (S-HTTP-05),
// unique across all object kinds. Times (created, issued, and `now` in writes) come from the
// injected Clock. Every object carries account_id so the WFE can refuse cross-account access; the
// store does not.
class MemoryStore {
 public:
  // REQUIRES: clock and rng outlive the store.
  MemoryStore(const common::Clock& clock, common::Rng& rng);
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  // Stores account with a new id, created = now and status valid; returns the stored copy.
  // REQUIRES: account.key_thumbprint is non-empty. Fails with existing_account_id set when an
  // account (in any status) already has that thumbprint (S-ACCT-03, S-ACCT-10, S-ACCT-12).
  AccountResult<core::Account> AddAccount(core::Account account);
  std::optional<core::Account> GetAccount(const std::string& id) const;
  std::optional<core::Account> GetAccountByThumbprint(const std::string& thumbprint) const;
  // Applies fn to account id. A new key_thumbprint moves the key index; one already used by another
  // account fails with existing_account_id set (S-KEY-05). Returns the stored copy.
  AccountResult<core::Account> UpdateAccount(const std::string& id, const AccountMutator& fn);

  // Stores order and its new authorizations atomically, assigning ids to the order, the
  // authorizations and their challenges (and a 256-bit token to each challenge without one,
  // RFC 8555 §8.3); order.authz_ids becomes the given ids (reused valid
  // authorizations, S-ORD-09) followed by the new ones. Sets order.created = now. Fails with
  // ServerInternal when the account is unknown, a given authz id is unknown or another account's,
  // or a new authorization is not pending with pending challenges. Returns the stored order.
  //
  // ARI (RFC 9773 §5, S-ARI-05): a non-empty replaces_certificate_id (wfe::CheckReplaces' result)
  // makes the new order claim that certificate, in the same atomic step: when the certificate is
  // already replaced (IsCertificateReplaced) the order is not stored and the result is 409
  // alreadyReplaced; an unknown certificate id is ServerInternal. Otherwise the certificate's
  // replacing_order_id becomes the new order's id.
  acme::Result<core::Order> AddOrder(core::Order order, std::vector<core::Authorization> authzs,
                                     const std::string& replaces_certificate_id = "");
  std::optional<core::Order> GetOrder(const std::string& id) const;
  // Applies fn under CheckOrderWrite at the clock's now. NotFound (404) for an unknown id. When the
  // write gives a certificate to an order that claimed a certificate (AddOrder's
  // replaces_certificate_id), that certificate becomes replaced for good in the same step.
  acme::Result<core::Order> UpdateOrder(const std::string& id, const OrderMutator& fn);
  // The order's status derived at now (S-ORD-05); nullopt for an unknown id. An authorization that
  // no longer exists counts as expired.
  std::optional<core::OrderStatus> OrderStatusOf(const std::string& order_id,
                                                 core::TimePoint now) const;
  // Page `page` (0-based) of the account's orders, per_page ids each, oldest first. With
  // hide_invalid_at set, orders invalid at that time are left out (S-ACCT-13 SHOULD NOT).
  // REQUIRES: per_page > 0.
  OrderPage ListOrderIds(const std::string& account_id, std::size_t page, std::size_t per_page,
                         std::optional<core::TimePoint> hide_invalid_at = std::nullopt) const;

  std::optional<core::Authorization> GetAuthorization(const std::string& id) const;
  // Applies fn under CheckAuthzWrite. NotFound (404) for an unknown id.
  acme::Result<core::Authorization> UpdateAuthorization(const std::string& id,
                                                        const AuthzMutator& fn);
  std::optional<FoundChallenge> FindChallenge(const std::string& challenge_id) const;
  // A stored-valid authorization of account_id for identifier with the same wildcard flag that is
  // unexpired at now (Pebble's authz reuse, S-ORD-09); the one expiring last wins. Never another
  // account's and never a pending one.
  std::optional<core::Authorization> FindReusableAuthorization(const std::string& account_id,
                                                               const acme::Identifier& identifier,
                                                               bool wildcard,
                                                               core::TimePoint now) const;

  // Stores certificate with a new id and issued = now. ServerInternal when the serial is taken.
  acme::Result<core::Certificate> AddCertificate(core::Certificate certificate);
  std::optional<core::Certificate> GetCertificate(const std::string& id) const;
  std::optional<core::Certificate> GetCertificateBySerial(const std::string& serial_hex) const;
  // Applies fn under CheckCertificateWrite. NotFound (404) for an unknown id.
  acme::Result<core::Certificate> UpdateCertificate(const std::string& id,
                                                    const CertificateMutator& fn);
  // Whether certificate id counts as replaced at now (RFC 9773 §5, S-ARI-05): its replacement
  // issued (replaced), or the order claiming it (replacing_order_id) still exists and is not
  // invalid at now. So a claim lapses when the replacing order fails, expires or is evicted, and
  // another order may then replace the certificate. False for an unknown id.
  bool IsCertificateReplaced(const std::string& id, core::TimePoint now) const;
  // The management API's /set-renewal-info/ (pebble.md §3): from now on renewalInfo serves
  // ari_response verbatim for the certificate with this serial. NotFound (404) for an unknown one.
  acme::Result<core::Certificate> SetRenewalInfoOverride(const std::string& serial_hex,
                                                         std::string ari_response);

  // Bounded growth: removes every order whose expires + grace < now (whatever its status), then
  // every authorization whose expires + grace < now that no remaining order lists. Kept: accounts,
  // certificates (revocation and CRLs need them; a certificate's order_id may then dangle), and
  // anything a live order refers to. Returns the number of orders and authorizations removed.
  std::size_t EvictExpired(core::TimePoint now, std::chrono::seconds grace);

  StoreCounts Counts() const;

 private:
  std::string NewIdLocked();
  std::vector<core::AuthzStatus> EffectiveLocked(const core::Order& order,
                                                 core::TimePoint now) const;
  acme::Status CheckNewAuthzsLocked(const core::Order& order,
                                    const std::vector<core::Authorization>& authzs) const;
  void EraseAuthzLocked(const std::string& id);
  core::OrderStatus OrderStatusLocked(const core::Order& order, core::TimePoint now) const;
  bool IsReplacedLocked(const core::Certificate& certificate, core::TimePoint now) const;
  acme::Status ClaimReplacementLocked(const std::string& certificate_id, core::TimePoint now);
  void MarkReplacedLocked(const core::Order& order);

  // Constant after construction.
  const common::Clock& clock_;
  common::Rng& rng_;

  mutable std::shared_mutex mu_;
  // All guarded by mu_.
  std::unordered_map<std::string, core::Account> accounts_;
  std::unordered_map<std::string, std::string> account_by_thumbprint_;
  std::unordered_map<std::string, core::Order> orders_;
  std::unordered_map<std::string, std::vector<std::string>> order_ids_by_account_;  // oldest first
  std::unordered_map<std::string, core::Authorization> authzs_;
  // Authorizations by what they authorize (AuthzSubject: account, identifier, wildcard), for
  // FindReusableAuthorization: a scan of an account's every authorization made each newOrder cost
  // O(authorizations) (bench/README.md "Profile").
  std::unordered_map<std::string, std::vector<std::string>> authz_ids_by_subject_;
  std::unordered_map<std::string, std::string> authz_by_challenge_;
  std::unordered_map<std::string, core::Certificate> certificates_;
  std::unordered_map<std::string, std::string> certificate_by_serial_;
  // ARI: order id -> the id of the certificate that order replaces (AddOrder's
  // replaces_certificate_id); erased when the order is evicted.
  std::unordered_map<std::string, std::string> replaced_certificate_by_order_;
};

}  // namespace mockca::store
