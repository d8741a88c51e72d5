// MemoryStore: bounded growth (EvictExpired) and counts.
#include <algorithm>
#include <mutex>
#include <unordered_set>

#include "mockca/store/map_helpers.hpp"
#include "mockca/store/memory_store.hpp"

namespace mockca::store {

using internal::AuthzSubject;

void MemoryStore::EraseAuthzLocked(const std::string& id) {
  auto it = authzs_.find(id);
  if (it == authzs_.end()) {
    return;
  }
  for (const core::Challenge& challenge : it->second.challenges) {
    authz_by_challenge_.erase(challenge.id);
  }
  if (auto ids = authz_ids_by_subject_.find(AuthzSubject(it->second));
      ids != authz_ids_by_subject_.end()) {
    std::erase(ids->second, id);
    if (ids->second.empty()) {
      authz_ids_by_subject_.erase(ids);
    }
  }
  authzs_.erase(it);
}

std::size_t MemoryStore::EvictExpired(core::TimePoint now, std::chrono::seconds grace) {
  std::unique_lock lock(mu_);
  std::size_t removed = 0;
  std::unordered_set<std::string> dead_orders;
  for (auto it = orders_.begin(); it != orders_.end();) {
    if (it->second.expires + grace < now) {
      dead_orders.insert(it->first);
      // ARI: an unissued claim lapses with its order; an issued one already marked the certificate.
      replaced_certificate_by_order_.erase(it->first);
      it = orders_.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  for (auto it = order_ids_by_account_.begin(); it != order_ids_by_account_.end();) {
    std::erase_if(it->second, [&](const std::string& id) { return dead_orders.contains(id); });
    it = it->second.empty() ? order_ids_by_account_.erase(it) : std::next(it);
  }
  // An authorization a remaining order lists stays, however old (S-ORD-04: the order keeps naming
  // it).
  std::unordered_set<std::string> live_authzs;
  for (const auto& [id, order] : orders_) {
    live_authzs.insert(order.authz_ids.begin(), order.authz_ids.end());
  }
  std::vector<std::string> dead_authzs;
  for (const auto& [id, authz] : authzs_) {
    if (authz.expires + grace < now && !live_authzs.contains(id)) {
      dead_authzs.push_back(id);
    }
  }
  for (const std::string& id : dead_authzs) {
    EraseAuthzLocked(id);
  }
  return removed + dead_authzs.size();
}

StoreCounts MemoryStore::Counts() const {
  std::shared_lock lock(mu_);
  StoreCounts counts;
  counts.accounts = accounts_.size();
  counts.orders = orders_.size();
  counts.authorizations = authzs_.size();
  counts.challenges = authz_by_challenge_.size();
  counts.certificates = certificates_.size();
  return counts;
}

}  // namespace mockca::store
