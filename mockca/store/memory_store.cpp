#include "mockca/store/memory_store.hpp"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <utility>

#include "mockca/store/map_helpers.hpp"
#include "mockca/store/write_checks.hpp"

namespace mockca::store {

using internal::ApplyChecked;
using internal::AuthzSubject;
using internal::CopyOf;
namespace {

constexpr std::size_t kIdBytes = 16;     // 128 bits (S-HTTP-05 asks for >= 64)
constexpr std::size_t kTokenBytes = 32;  // RFC 8555 §8.3 asks for >= 128 bits

// Unpadded base64url (RFC 4648 §5), the alphabet of ids and tokens.
std::string Base64Url(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) {
    out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3f]);
  }
  return out;
}

acme::Problem KeyInUse(const std::string& detail) {
  acme::Problem problem = acme::Malformed(detail);
  problem.status = 409;  // S-KEY-05; newAccount turns this into 200 + Location (S-ACCT-03)
  return problem;
}

}  // namespace

MemoryStore::MemoryStore(const common::Clock& clock, common::Rng& rng) : clock_(clock), rng_(rng) {}

std::string MemoryStore::NewIdLocked() {
  for (;;) {
    std::string id = Base64Url(rng_.Bytes(kIdBytes));
    if (!accounts_.contains(id) && !orders_.contains(id) && !authzs_.contains(id) &&
        !authz_by_challenge_.contains(id) && !certificates_.contains(id)) {
      return id;
    }
  }
}

AccountResult<core::Account> MemoryStore::AddAccount(core::Account account) {
  std::unique_lock lock(mu_);
  if (account.key_thumbprint.empty()) {
    return AccountError{acme::ServerInternal("account without key thumbprint"), ""};
  }
  if (auto it = account_by_thumbprint_.find(account.key_thumbprint);
      it != account_by_thumbprint_.end()) {
    return AccountError{KeyInUse("key already registered"), it->second};
  }
  account.id = NewIdLocked();
  account.created = clock_.Now();
  account.status = core::AccountStatus::kValid;  // S-ACCT-01
  account_by_thumbprint_.emplace(account.key_thumbprint, account.id);
  accounts_.emplace(account.id, account);
  return account;
}

std::optional<core::Account> MemoryStore::GetAccount(const std::string& id) const {
  std::shared_lock lock(mu_);
  return CopyOf(accounts_, id);
}

std::optional<core::Account> MemoryStore::GetAccountByThumbprint(
    const std::string& thumbprint) const {
  std::shared_lock lock(mu_);
  auto it = account_by_thumbprint_.find(thumbprint);
  return it == account_by_thumbprint_.end() ? std::nullopt : CopyOf(accounts_, it->second);
}

AccountResult<core::Account> MemoryStore::UpdateAccount(const std::string& id,
                                                        const AccountMutator& fn) {
  std::unique_lock lock(mu_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) {
    return AccountError{acme::NotFound("no account " + id), ""};
  }
  core::Account copy = it->second;
  if (acme::Status applied = fn(copy); !applied) {
    return AccountError{applied.error(), ""};
  }
  if (acme::Status checked = CheckAccountWrite(it->second, copy); !checked) {
    return AccountError{checked.error(), ""};
  }
  const std::string& old_thumbprint = it->second.key_thumbprint;
  if (copy.key_thumbprint != old_thumbprint) {
    if (copy.key_thumbprint.empty()) {
      return AccountError{acme::ServerInternal("account key thumbprint cleared"), ""};
    }
    // S-KEY-05: the new key must not belong to another account.
    if (auto owner = account_by_thumbprint_.find(copy.key_thumbprint);
        owner != account_by_thumbprint_.end()) {
      return AccountError{KeyInUse("key in use by another account"), owner->second};
    }
    account_by_thumbprint_.erase(old_thumbprint);
    account_by_thumbprint_.emplace(copy.key_thumbprint, id);
  }
  it->second = copy;
  return copy;
}

acme::Status MemoryStore::CheckNewAuthzsLocked(
    const core::Order& order, const std::vector<core::Authorization>& authzs) const {
  if (!accounts_.contains(order.account_id)) {
    return acme::ServerInternal("order for unknown account " + order.account_id);
  }
  for (const std::string& reused : order.authz_ids) {
    auto it = authzs_.find(reused);
    if (it == authzs_.end() || it->second.account_id != order.account_id) {
      return acme::ServerInternal("order reuses unknown or foreign authorization " + reused);
    }
  }
  for (const core::Authorization& authz : authzs) {
    if ((!authz.account_id.empty() && authz.account_id != order.account_id) ||
        authz.status != core::AuthzStatus::kPending) {
      return acme::ServerInternal("new authorization must be pending and the order's account's");
    }
    for (const core::Challenge& challenge : authz.challenges) {
      if (challenge.status != core::ChallengeStatus::kPending) {
        return acme::ServerInternal("new challenge must be pending");
      }
    }
  }
  return {};
}

acme::Result<core::Order> MemoryStore::AddOrder(core::Order order,
                                                std::vector<core::Authorization> authzs,
                                                const std::string& replaces_certificate_id) {
  std::unique_lock lock(mu_);
  if (acme::Status checked = CheckNewAuthzsLocked(order, authzs); !checked) {
    return checked.error();
  }
  if (!replaces_certificate_id.empty()) {
    if (acme::Status claimed = ClaimReplacementLocked(replaces_certificate_id, clock_.Now());
        !claimed) {
      return claimed.error();
    }
  }
  order.id = NewIdLocked();
  order.created = clock_.Now();
  core::Order& stored = orders_.emplace(order.id, std::move(order)).first->second;
  for (core::Authorization& authz : authzs) {
    authz.id = NewIdLocked();
    authz.account_id = stored.account_id;
    core::Authorization& new_authz = authzs_.emplace(authz.id, std::move(authz)).first->second;
    for (core::Challenge& challenge : new_authz.challenges) {
      challenge.id = NewIdLocked();
      if (challenge.token.empty()) {
        challenge.token = Base64Url(rng_.Bytes(kTokenBytes));
      }
      authz_by_challenge_.emplace(challenge.id, new_authz.id);
    }
    authz_ids_by_subject_[AuthzSubject(new_authz)].push_back(new_authz.id);
    stored.authz_ids.push_back(new_authz.id);
  }
  order_ids_by_account_[stored.account_id].push_back(stored.id);
  if (!replaces_certificate_id.empty()) {
    certificates_.at(replaces_certificate_id).replacing_order_id = stored.id;
    replaced_certificate_by_order_[stored.id] = replaces_certificate_id;
  }
  return stored;
}

std::optional<core::Order> MemoryStore::GetOrder(const std::string& id) const {
  std::shared_lock lock(mu_);
  return CopyOf(orders_, id);
}

std::vector<core::AuthzStatus> MemoryStore::EffectiveLocked(const core::Order& order,
                                                            core::TimePoint now) const {
  std::vector<core::AuthzStatus> effective;
  effective.reserve(order.authz_ids.size());
  for (const std::string& authz_id : order.authz_ids) {
    auto it = authzs_.find(authz_id);
    effective.push_back(it == authzs_.end() ? core::AuthzStatus::kExpired
                                            : core::EffectiveStatus(it->second, now));
  }
  return effective;
}

acme::Result<core::Order> MemoryStore::UpdateOrder(const std::string& id, const OrderMutator& fn) {
  std::unique_lock lock(mu_);
  const core::TimePoint now = clock_.Now();
  auto written = ApplyChecked(
      orders_, id, "order", fn, [&](const core::Order& before, const core::Order& after) {
        return CheckOrderWrite(before, after, EffectiveLocked(before, now), now);
      });
  if (written) {
    MarkReplacedLocked(*written);
  }
  return written;
}

std::optional<core::OrderStatus> MemoryStore::OrderStatusOf(const std::string& order_id,
                                                            core::TimePoint now) const {
  std::shared_lock lock(mu_);
  auto it = orders_.find(order_id);
  if (it == orders_.end()) {
    return std::nullopt;
  }
  return OrderStatusLocked(it->second, now);
}

core::OrderStatus MemoryStore::OrderStatusLocked(const core::Order& order,
                                                 core::TimePoint now) const {
  return core::ComputeOrderStatus(core::FactsFor(order, EffectiveLocked(order, now)), now);
}

OrderPage MemoryStore::ListOrderIds(const std::string& account_id, std::size_t page,
                                    std::size_t per_page,
                                    std::optional<core::TimePoint> hide_invalid_at) const {
  std::shared_lock lock(mu_);
  OrderPage result;
  auto it = order_ids_by_account_.find(account_id);
  if (it == order_ids_by_account_.end() || per_page == 0) {
    return result;
  }
  std::vector<std::string> shown;
  for (const std::string& order_id : it->second) {
    const core::Order& order = orders_.at(order_id);
    if (hide_invalid_at.has_value() &&
        core::ComputeOrderStatus(core::FactsFor(order, EffectiveLocked(order, *hide_invalid_at)),
                                 *hide_invalid_at) == core::OrderStatus::kInvalid) {
      continue;
    }
    shown.push_back(order_id);
  }
  const std::size_t begin = std::min(shown.size(), page * per_page);
  const std::size_t end = std::min(shown.size(), begin + per_page);
  result.order_ids.assign(shown.begin() + static_cast<std::ptrdiff_t>(begin),
                          shown.begin() + static_cast<std::ptrdiff_t>(end));
  result.has_next = end < shown.size();
  return result;
}

std::optional<core::Authorization> MemoryStore::GetAuthorization(const std::string& id) const {
  std::shared_lock lock(mu_);
  return CopyOf(authzs_, id);
}

acme::Result<core::Authorization> MemoryStore::UpdateAuthorization(const std::string& id,
                                                                   const AuthzMutator& fn) {
  std::unique_lock lock(mu_);
  return ApplyChecked(authzs_, id, "authorization", fn, CheckAuthzWrite);
}

std::optional<FoundChallenge> MemoryStore::FindChallenge(const std::string& challenge_id) const {
  std::shared_lock lock(mu_);
  auto owner = authz_by_challenge_.find(challenge_id);
  if (owner == authz_by_challenge_.end()) {
    return std::nullopt;
  }
  const core::Challenge* challenge = core::FindChallenge(authzs_.at(owner->second), challenge_id);
  if (challenge == nullptr) {
    return std::nullopt;
  }
  return FoundChallenge{owner->second, *challenge};
}

std::optional<core::Authorization> MemoryStore::FindReusableAuthorization(
    const std::string& account_id, const acme::Identifier& identifier, bool wildcard,
    core::TimePoint now) const {
  std::shared_lock lock(mu_);
  auto ids = authz_ids_by_subject_.find(AuthzSubject(account_id, identifier, wildcard));
  if (ids == authz_ids_by_subject_.end()) {
    return std::nullopt;
  }
  const core::Authorization* best = nullptr;
  for (const std::string& authz_id : ids->second) {
    const core::Authorization& authz = authzs_.at(authz_id);
    if (core::EffectiveStatus(authz, now) == core::AuthzStatus::kValid &&
        (best == nullptr || authz.expires > best->expires)) {
      best = &authz;
    }
  }
  return best == nullptr ? std::nullopt : std::optional<core::Authorization>(*best);
}

}  // namespace mockca::store
