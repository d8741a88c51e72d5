#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "mockca/acme/problem.hpp"
#include "mockca/core/objects.hpp"
#include "mockca/jose/jwk.hpp"

namespace mockca::wfe {

// Account keys as parsed OpenSSL keys, by RFC 7638 thumbprint, so that a `kid` request does not
// rebuild its key from the stored JWK each time (jose::ParseJwk, that is EVP_PKEY_fromdata and a
// point check: about 15 % of mockca's CPU per issuance flow, bench/README.md "Profile").
//
// A thumbprint names exactly one key, so an entry never goes stale: a key rollover gives the
// account a new thumbprint and the old entry is merely unused. At most `capacity` keys are held;
// when a new one would exceed that, the cache is emptied first (a bounded, rare cost). Thread-safe.
class AccountKeyCache {
 public:
  explicit AccountKeyCache(std::size_t capacity = 10000) : capacity_(capacity) {}

  // The account's key: a new reference to the cached one, or jose::ParseJwk(account.key_jwk)
  // (then cached). Fails as ParseJwk does, which a stored key never should.
  acme::Result<jose::PublicKey> KeyOf(const core::Account& account) const;

  std::size_t size() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, jose::PublicKey> keys_;
};

}  // namespace mockca::wfe
