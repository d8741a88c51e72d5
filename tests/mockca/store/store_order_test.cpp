#include <catch2/catch.hpp>

#include "mockca/store/memory_store.hpp"
#include "tests/mockca/store/store_fixture.hpp"

namespace store_order_test {

namespace {

using namespace std::chrono_literals;
using mockca::acme::ProblemType;
using mockca::acme::Status;
using mockca::core::Authorization;
using mockca::core::AuthzStatus;
using mockca::core::ChallengeStatus;
using mockca::core::Order;
using mockca::core::OrderStatus;
using mockca::store::testing::StoreFixture;

TEST_CASE("AddOrder links new authorizations and challenges to the order (S-ORD-09)",
          "[store][order]") {
  StoreFixture f;
  auto account = f.Account("t");
  Order order = f.Order(account.id, {"a.example", "b.example"});
  CHECK(order.created == mockca::store::testing::kStart);
  REQUIRE(order.authz_ids.size() == 2);
  CHECK(f.store.GetOrder(order.id)->authz_ids == order.authz_ids);
  for (const std::string& authz_id : order.authz_ids) {
    Authorization authz = f.store.GetAuthorization(authz_id).value();
    CHECK(authz.account_id == account.id);
    for (const auto& challenge : authz.challenges) {
      auto found = f.store.FindChallenge(challenge.id);
      REQUIRE(found.has_value());
      CHECK(found->authz_id == authz_id);
      CHECK(found->challenge.token == challenge.token);
    }
  }
  CHECK_FALSE(f.store.FindChallenge("nope").has_value());
  CHECK(f.store.Counts().challenges == 4);
}

TEST_CASE("AddOrder refuses an unknown account, foreign reuse and non-pending new authzs",
          "[store][order]") {
  StoreFixture f;
  auto mine = f.Account("t1");
  auto theirs = f.Account("t2");
  Order foreign = f.Order(theirs.id, {"x.example"});
  Order order;
  order.account_id = "ghost";
  CHECK(f.store.AddOrder(order, {}).error().type == ProblemType::kServerInternal);
  order.account_id = mine.id;
  order.authz_ids = {foreign.authz_ids[0]};
  CHECK_FALSE(f.store.AddOrder(order, {}).ok());
  order.authz_ids.clear();
  Authorization valid = f.PendingAuthz("y.example");
  valid.status = AuthzStatus::kValid;
  CHECK_FALSE(f.store.AddOrder(order, {valid}).ok());
  CHECK(f.store.Counts().orders == 1);  // nothing was half-written
}

// S-ORD-05: pending -> ready -> processing -> valid, derived from authz and order facts.
TEST_CASE(
    "Order status follows its authorizations and facts through the happy path (S-ORD-05, "
    "S-AUTHZ-03)",
    "[store][order]") {
  StoreFixture f;
  auto account = f.Account("t");
  Order order = f.Order(account.id, {"a.example", "b.example"});
  CHECK(f.StatusOf(order.id) == OrderStatus::kPending);
  f.Validate(order.authz_ids[0]);
  CHECK(f.StatusOf(order.id) == OrderStatus::kPending);
  f.Validate(order.authz_ids[1]);
  CHECK(f.StatusOf(order.id) == OrderStatus::kReady);
  REQUIRE(f.store.UpdateOrder(order.id, [](Order& o) {
    o.began_processing = true;
    return Status();
  }));
  CHECK(f.StatusOf(order.id) == OrderStatus::kProcessing);
  REQUIRE(f.store.UpdateOrder(order.id, [](Order& o) {
    o.certificate_id = "cert";
    return Status();
  }));
  CHECK(f.StatusOf(order.id) == OrderStatus::kValid);
  CHECK_FALSE(f.store.OrderStatusOf("missing", f.clock.Now()).has_value());
}

TEST_CASE(
    "Order status turns invalid on expiry and on a deactivated authz (S-ORD-05, S-ORD-06, "
    "S-AUTHZ-06)",
    "[store][order]") {
  StoreFixture f;
  auto account = f.Account("t");
  Order expiring = f.Order(account.id, {"a.example"});
  Order deactivated = f.Order(account.id, {"b.example"});
  REQUIRE(f.store.UpdateAuthorization(deactivated.authz_ids[0], [](Authorization& a) {
    a.status = AuthzStatus::kDeactivated;
    return Status();
  }));
  CHECK(f.StatusOf(deactivated.id) == OrderStatus::kInvalid);
  CHECK(f.StatusOf(expiring.id) == OrderStatus::kPending);
  f.clock.Advance(1h);  // the pending authz expires first
  CHECK(f.StatusOf(expiring.id) == OrderStatus::kInvalid);
  CHECK(f.store.GetAuthorization(expiring.authz_ids[0])->status == AuthzStatus::kPending);
}

TEST_CASE("Illegal order steps are refused: finalize before ready, certificate before processing",
          "[store][order]") {
  StoreFixture f;
  auto account = f.Account("t");
  Order order = f.Order(account.id, {"a.example"});
  auto finalize = f.store.UpdateOrder(order.id, [](Order& o) {
    o.began_processing = true;
    return Status();
  });
  CHECK(finalize.error().type == ProblemType::kServerInternal);
  auto issue = f.store.UpdateOrder(order.id, [](Order& o) {
    o.certificate_id = "c";
    return Status();
  });
  CHECK_FALSE(issue.ok());
  auto mutate = f.store.UpdateOrder(order.id, [](Order& o) {
    o.identifiers.push_back({"dns", "evil.example"});  // S-ORD-04
    return Status();
  });
  CHECK_FALSE(mutate.ok());
  CHECK(f.StatusOf(order.id) == OrderStatus::kPending);
  CHECK(f.store.UpdateOrder("missing", [](Order&) { return Status(); }).error().status == 404);
}

struct AuthzCase {
  const char* name;
  AuthzStatus authz_to;
  ChallengeStatus challenge_to;
  bool from_valid;
  bool legal;
};

// conformance.md §1.2: the store refuses every step RFC 8555 §7.1.6 does not draw.
TEST_CASE("Authorization and challenge steps are checked on every write (S-AUTHZ-03)",
          "[store][authz]") {
  const AuthzCase cases[] = {
      {"challenge pending -> valid skips processing", AuthzStatus::kPending,
       ChallengeStatus::kValid, false, false},
      {"challenge pending -> processing", AuthzStatus::kPending, ChallengeStatus::kProcessing,
       false, true},
      {"authz valid -> invalid", AuthzStatus::kInvalid, ChallengeStatus::kValid, true, false},
      {"authz valid -> deactivated", AuthzStatus::kDeactivated, ChallengeStatus::kValid, true,
       true},
      {"authz pending -> expired is derived, not stored", AuthzStatus::kExpired,
       ChallengeStatus::kPending, false, false},
  };
  for (const AuthzCase& c : cases) {
    INFO(c.name);
    StoreFixture f;
    auto account = f.Account("t");
    Order order = f.Order(account.id, {"a.example"});
    const std::string& authz_id = order.authz_ids[0];
    if (c.from_valid) {
      f.Validate(authz_id);
    }
    Authorization before = f.store.GetAuthorization(authz_id).value();
    auto result = f.store.UpdateAuthorization(authz_id, [&](Authorization& a) {
      a.status = c.authz_to;
      a.challenges[0].status = c.challenge_to;
      return Status();
    });
    CHECK(result.ok() == c.legal);
    if (!c.legal) {
      CHECK(result.error().type == ProblemType::kServerInternal);
      CHECK(f.store.GetAuthorization(authz_id)->status == before.status);
    }
  }
}

TEST_CASE("Orders list pages oldest first with has_next and can hide invalid orders (S-ACCT-13)",
          "[store][order]") {
  StoreFixture f;
  auto account = f.Account("t");
  auto other = f.Account("t2");
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    ids.push_back(f.Order(account.id, {"n" + std::to_string(i) + ".example"}).id);
  }
  f.Order(other.id, {"other.example"});
  auto page0 = f.store.ListOrderIds(account.id, 0, 3);
  CHECK(page0.order_ids == std::vector<std::string>{ids[0], ids[1], ids[2]});
  CHECK(page0.has_next);
  auto page2 = f.store.ListOrderIds(account.id, 2, 3);
  CHECK(page2.order_ids == std::vector<std::string>{ids[6]});
  CHECK_FALSE(page2.has_next);
  CHECK(f.store.ListOrderIds(account.id, 3, 3).order_ids.empty());
  CHECK(f.store.ListOrderIds("nobody", 0, 3).order_ids.empty());

  REQUIRE(f.store.UpdateAuthorization(f.store.GetOrder(ids[0])->authz_ids[0], [](Authorization& a) {
    a.status = AuthzStatus::kDeactivated;
    return Status();
  }));
  auto shown = f.store.ListOrderIds(account.id, 0, 10, f.clock.Now());
  CHECK(shown.order_ids.size() == 6);
  CHECK(shown.order_ids.front() == ids[1]);
}

TEST_CASE(
    "Authz reuse finds only the same account's valid, unexpired authz with the same "
    "wildcard flag (S-ORD-09)",
    "[store][authz]") {
  StoreFixture f;
  auto mine = f.Account("t1");
  auto theirs = f.Account("t2");
  const mockca::acme::Identifier name{"dns", "a.example"};
  Order order = f.Order(mine.id, {"a.example"});
  CHECK_FALSE(f.store.FindReusableAuthorization(mine.id, name, false, f.clock.Now()));  // pending
  f.Validate(order.authz_ids[0]);
  auto reused = f.store.FindReusableAuthorization(mine.id, name, false, f.clock.Now());
  REQUIRE(reused.has_value());
  CHECK(reused->id == order.authz_ids[0]);
  CHECK_FALSE(f.store.FindReusableAuthorization(theirs.id, name, false, f.clock.Now()));
  CHECK_FALSE(f.store.FindReusableAuthorization(mine.id, name, true, f.clock.Now()));
  CHECK_FALSE(
      f.store.FindReusableAuthorization(mine.id, {"dns", "b.example"}, false, f.clock.Now()));
  CHECK_FALSE(f.store.FindReusableAuthorization(mine.id, name, false, f.clock.Now() + 1h));

  Order second = f.Order(mine.id, {}, {reused->id});
  CHECK(second.authz_ids == std::vector<std::string>{reused->id});
  CHECK(f.StatusOf(second.id) == OrderStatus::kReady);
}

TEST_CASE("EvictExpired bounds memory and keeps live orders and what they reference",
          "[store][eviction]") {
  StoreFixture f;
  auto account = f.Account("t");
  for (int i = 0; i < 20; ++i) {
    f.Order(account.id, {"old" + std::to_string(i) + ".example"});
  }
  mockca::core::Certificate cert;
  cert.serial_hex = "01";
  REQUIRE(f.store.AddCertificate(cert));
  f.clock.Advance(23h);
  Order shared_source = f.Order(account.id, {"keep.example"});
  f.Validate(shared_source.authz_ids[0]);
  f.clock.Advance(2h);  // old orders expired 1 h ago, shared_source's authz expired 1 h ago
  Order live = f.Order(account.id, {}, {});
  CHECK(f.store.EvictExpired(f.clock.Now(), 2h) == 0);   // within grace
  CHECK(f.store.EvictExpired(f.clock.Now(), 0s) == 40);  // 20 orders + 20 authzs
  auto counts = f.store.Counts();
  CHECK(counts.accounts == 1);
  CHECK(counts.orders == 2);
  CHECK(counts.authorizations == 1);  // listed by the live shared_source order, so kept
  CHECK(counts.challenges == 2);
  CHECK(counts.certificates == 1);
  CHECK(f.store.GetOrder(live.id).has_value());
  CHECK(f.store.ListOrderIds(account.id, 0, 100).order_ids.size() == 2);
  f.clock.Advance(48h);
  CHECK(f.store.EvictExpired(f.clock.Now(), 0s) == 3);
  CHECK(f.store.Counts().challenges == 0);
  CHECK(f.store.ListOrderIds(account.id, 0, 100).order_ids.empty());
}

}  // namespace

}  // namespace store_order_test
