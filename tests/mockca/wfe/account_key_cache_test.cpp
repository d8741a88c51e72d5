#include "mockca/wfe/account_key_cache.hpp"

#include <catch2/catch.hpp>

#include "mockca/jose/jwk.hpp"
#include "mockca/jose/key_thumbprint.hpp"
#include "tests/support/jws_signer.hpp"

namespace account_key_cache_test {

namespace {

using mockca::core::Account;
using mockca::wfe::AccountKeyCache;
using support::KeyKind;
using support::TestKey;

Account AccountWith(const TestKey& key) {
  Account account;
  account.key_jwk = key.PublicJwk();
  account.key_thumbprint = mockca::jose::JwkThumbprint(account.key_jwk);
  return account;
}

}  // namespace

TEST_CASE("AccountKeyCache parses an account key once and shares it", "[wfe][jws]") {
  const TestKey key = TestKey::Generate(KeyKind::kP256);
  const Account account = AccountWith(key);
  const AccountKeyCache cache;

  const auto first = cache.KeyOf(account);
  const auto second = cache.KeyOf(account);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(cache.size() == 1);
  CHECK(first->key.get() == second->key.get());  // one EVP_PKEY, two owners
  CHECK(EVP_PKEY_eq(first->key.get(), key.get()) == 1);
  CHECK(first->jwk == account.key_jwk);
  CHECK(mockca::jose::JwkThumbprint(*second) == account.key_thumbprint);
}

TEST_CASE("AccountKeyCache gives a rolled-over account its new key", "[wfe][jws]") {
  const TestKey old_key = TestKey::Generate(KeyKind::kP256);
  const TestKey new_key = TestKey::Generate(KeyKind::kRsa2048);
  const AccountKeyCache cache;
  Account account = AccountWith(old_key);
  REQUIRE(cache.KeyOf(account).ok());

  account.key_jwk = new_key.PublicJwk();
  account.key_thumbprint = mockca::jose::JwkThumbprint(account.key_jwk);
  const auto key = cache.KeyOf(account);
  REQUIRE(key.ok());
  CHECK(EVP_PKEY_eq(key->key.get(), new_key.get()) == 1);
  CHECK(key->kty == "RSA");
}

TEST_CASE("AccountKeyCache holds at most its capacity", "[wfe][jws]") {
  const AccountKeyCache cache(2);
  const TestKey a = TestKey::Generate(KeyKind::kP256);
  const TestKey b = TestKey::Generate(KeyKind::kP256);
  const TestKey c = TestKey::Generate(KeyKind::kEd25519);
  REQUIRE(cache.KeyOf(AccountWith(a)).ok());
  REQUIRE(cache.KeyOf(AccountWith(b)).ok());
  CHECK(cache.size() == 2);
  const auto third = cache.KeyOf(AccountWith(c));  // emptied first, then c
  REQUIRE(third.ok());
  CHECK(cache.size() == 1);
  CHECK(EVP_PKEY_eq(third->key.get(), c.get()) == 1);
  // a is parsed again, and still right.
  const auto again = cache.KeyOf(AccountWith(a));
  REQUIRE(again.ok());
  CHECK(EVP_PKEY_eq(again->key.get(), a.get()) == 1);
}

TEST_CASE("KeyThumbprint of a key equals JwkThumbprint of its JWK", "[jose][jws]") {
  for (const KeyKind kind :
       {KeyKind::kP256, KeyKind::kP384, KeyKind::kRsa2048, KeyKind::kEd25519}) {
    const TestKey key = TestKey::Generate(kind);
    const auto parsed = mockca::jose::ParseJwk(key.PublicJwk());
    REQUIRE(parsed.ok());
    CHECK(mockca::jose::KeyThumbprint(key.get()) == mockca::jose::JwkThumbprint(*parsed));
  }
}

}  // namespace account_key_cache_test
