#include "mockca/wfe/eab_keys.hpp"

#include <algorithm>
#include <mutex>

namespace mockca::wfe {

common::Status<std::string> EabKeys::Add(const std::string& kid, const std::string& mac_key) {
  const bool printable = std::all_of(kid.begin(), kid.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7f;
  });
  if (kid.empty() || !printable) {
    return std::string("kid must be non-empty printable ASCII");
  }
  if (mac_key.empty()) {
    return std::string("the MAC key of \"" + kid + "\" is empty");
  }
  std::unique_lock lock(mu_);
  keys_[kid] = mac_key;
  return {};
}

std::optional<std::string> EabKeys::Find(const std::string& kid) const {
  std::shared_lock lock(mu_);
  const auto it = keys_.find(kid);
  if (it == keys_.end()) {
    return std::nullopt;
  }
  return it->second;
}

bool EabKeys::Claim(const std::string& kid) {
  std::unique_lock lock(mu_);
  return claimed_.insert(kid).second;
}

std::size_t EabKeys::size() const {
  std::shared_lock lock(mu_);
  return keys_.size();
}

}  // namespace mockca::wfe
