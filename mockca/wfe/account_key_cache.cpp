#include "mockca/wfe/account_key_cache.hpp"

#include <utility>

namespace mockca::wfe {
namespace {

// A second owner of key: EVP_PKEY is reference-counted and only read once parsed (verification).
jose::PublicKey Share(const jose::PublicKey& key) {
  EVP_PKEY_up_ref(key.key.get());
  return jose::PublicKey{common::EvpPkeyPtr(key.key.get()), key.kty, key.crv, key.alg, key.jwk};
}

}  // namespace

acme::Result<jose::PublicKey> AccountKeyCache::KeyOf(const core::Account& account) const {
  {
    const std::lock_guard lock(mutex_);
    if (const auto it = keys_.find(account.key_thumbprint); it != keys_.end()) {
      return Share(it->second);
    }
  }
  acme::Result<jose::PublicKey> parsed = jose::ParseJwk(account.key_jwk);
  if (!parsed || account.key_thumbprint.empty()) {
    return parsed;
  }
  const std::lock_guard lock(mutex_);
  if (keys_.size() >= capacity_) {
    keys_.clear();
  }
  // Another thread may have cached the same key meanwhile; either copy will do.
  keys_.try_emplace(account.key_thumbprint, Share(*parsed));
  return parsed;
}

std::size_t AccountKeyCache::size() const {
  const std::lock_guard lock(mutex_);
  return keys_.size();
}

}  // namespace mockca::wfe
