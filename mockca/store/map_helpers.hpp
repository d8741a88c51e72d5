#pragma once

#include <optional>
#include <string>

#include "mockca/acme/problem.hpp"
#include "mockca/core/objects.hpp"

// Helpers shared by the MemoryStore translation units; not part of the store's interface.
namespace mockca::store::internal {

// The key of MemoryStore's index of authorizations by what they authorize: who, which identifier,
// and whether for a wildcard. '\n' cannot occur in an account id or an accepted identifier.
inline std::string AuthzSubject(const std::string& account_id, const acme::Identifier& identifier,
                                bool wildcard) {
  return account_id + '\n' + identifier.type + '\n' + identifier.value + (wildcard ? "\n*" : "");
}
inline std::string AuthzSubject(const core::Authorization& authz) {
  return AuthzSubject(authz.account_id, authz.identifier, authz.wildcard);
}

// A copy of the object stored under id, or nullopt. REQUIRES: the store's lock is held.
template <typename Map>
std::optional<typename Map::mapped_type> CopyOf(const Map& map, const std::string& id) {
  auto it = map.find(id);
  if (it == map.end()) {
    return std::nullopt;
  }
  return it->second;
}

// The store's write step: fn edits a copy of the object under id, check(before, after) vets the
// edit, and only then is the copy stored; any failure leaves the object untouched. Returns the
// stored object, NotFound naming `what`, or the Problem of fn or check.
// REQUIRES: the store's exclusive lock is held.
template <typename Map, typename Mutator, typename Check>
acme::Result<typename Map::mapped_type> ApplyChecked(Map& map, const std::string& id,
                                                     const char* what, const Mutator& fn,
                                                     const Check& check) {
  auto it = map.find(id);
  if (it == map.end()) {
    return acme::NotFound(std::string("no ") + what + " " + id);
  }
  typename Map::mapped_type copy = it->second;
  if (acme::Status applied = fn(copy); !applied) {
    return applied.error();
  }
  if (acme::Status checked = check(it->second, copy); !checked) {
    return checked.error();
  }
  it->second = copy;
  return copy;
}

}  // namespace mockca::store::internal
