#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/clock.hpp"
#include "common/rng.hpp"
#include "mockca/core/objects.hpp"
#include "mockca/store/memory_store.hpp"

namespace mockca::store::testing {

using namespace std::chrono_literals;

inline const core::TimePoint kStart = core::TimePoint(1'700'000'000s);

// A store on a FakeClock at kStart and an Rng with a fixed seed, plus builders for its objects.
struct StoreFixture {
  common::FakeClock clock{kStart};
  common::Rng rng{42};
  MemoryStore store{clock, rng};

  // Adds an account for thumbprint; REQUIRES that it succeeds.
  core::Account Account(const std::string& thumbprint) {
    core::Account account;
    account.key_thumbprint = thumbprint;
    account.key_jwk = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", thumbprint}};
    auto added = store.AddAccount(account);
    return added.value();
  }

  // A pending authorization for a dns name with an http-01 and a dns-01 challenge, expiring in 1 h.
  core::Authorization PendingAuthz(const std::string& name, bool wildcard = false) {
    core::Authorization authz;
    authz.identifier = {"dns", name};
    authz.wildcard = wildcard;
    authz.expires = clock.Now() + 1h;
    authz.challenges.resize(2);
    authz.challenges[0].type = wildcard ? "dns-01" : "http-01";
    authz.challenges[1].type = "dns-01";
    return authz;
  }

  // Adds an order of account_id for names (one new pending authz each), expiring in 24 h, after
  // reused_authz_ids; REQUIRES that it succeeds.
  core::Order Order(const std::string& account_id, const std::vector<std::string>& names,
                    std::vector<std::string> reused_authz_ids = {}) {
    core::Order order;
    order.account_id = account_id;
    order.expires = clock.Now() + 24h;
    order.authz_ids = std::move(reused_authz_ids);
    std::vector<core::Authorization> authzs;
    for (const std::string& name : names) {
      order.identifiers.push_back({"dns", name});
      authzs.push_back(PendingAuthz(name));
    }
    auto added = store.AddOrder(order, authzs);
    return added.value();
  }

  // Validates authz_id the legal way: first challenge pending -> processing -> valid, authz valid.
  void Validate(const std::string& authz_id) {
    auto step = [&](core::ChallengeStatus to, core::AuthzStatus authz_to) {
      auto updated = store.UpdateAuthorization(authz_id, [&](core::Authorization& a) {
        a.challenges[0].status = to;
        a.status = authz_to;
        return acme::Status();
      });
      return updated.ok();
    };
    bool ok = step(core::ChallengeStatus::kProcessing, core::AuthzStatus::kPending) &&
              step(core::ChallengeStatus::kValid, core::AuthzStatus::kValid);
    REQUIRE(ok);
  }

  core::OrderStatus StatusOf(const std::string& order_id) {
    return store.OrderStatusOf(order_id, clock.Now()).value();
  }
};

}  // namespace mockca::store::testing
