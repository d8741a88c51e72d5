#pragma once

#include <optional>
#include <string>

#include "mockca/acme/problem.hpp"

// Helpers shared by the MemoryStore translation units; not part of the store's interface.
namespace mockca::store::internal {

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
