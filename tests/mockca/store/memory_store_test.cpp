#include "mockca/store/memory_store.hpp"

#include <regex>
#include <set>

#include <catch2/catch.hpp>

#include "tests/mockca/store/store_fixture.hpp"

namespace memory_store_test {

namespace {

using mockca::acme::ProblemType;
using mockca::acme::Status;
using mockca::core::Account;
using mockca::core::AccountStatus;
using mockca::store::testing::StoreFixture;

TEST_CASE("Ids are 128-bit base64url strings, unique across kinds (S-HTTP-05)", "[store]") {
  StoreFixture f;
  std::set<std::string> ids;
  const std::regex base64url("^[A-Za-z0-9_-]{22}$");
  for (int i = 0; i < 50; ++i) {
    Account account = f.Account("thumb" + std::to_string(i));
    mockca::core::Order order = f.Order(account.id, {"a.example", "b.example"});
    ids.insert(account.id);
    ids.insert(order.id);
    for (const std::string& authz_id : order.authz_ids) {
      ids.insert(authz_id);
      const mockca::core::Authorization authz = f.store.GetAuthorization(authz_id).value();
      for (const auto& challenge : authz.challenges) {
        ids.insert(challenge.id);
        CHECK(challenge.token.size() >= 22);  // RFC 8555 §8.3: >= 128 bits
      }
    }
  }
  CHECK(ids.size() == 50 * (1 + 1 + 2 * 3));
  for (const std::string& id : ids) {
    CHECK(std::regex_match(id, base64url));
  }
}

TEST_CASE("AddAccount stores a valid account, findable by id and by thumbprint (S-ACCT-01)",
          "[store][account]") {
  StoreFixture f;
  Account account = f.Account("t1");
  CHECK(account.status == AccountStatus::kValid);
  CHECK(account.created == mockca::store::testing::kStart);
  CHECK(f.store.GetAccount(account.id)->key_thumbprint == "t1");
  CHECK(f.store.GetAccountByThumbprint("t1")->id == account.id);
  CHECK_FALSE(f.store.GetAccount("nope").has_value());
  CHECK_FALSE(f.store.GetAccountByThumbprint("t2").has_value());
}

TEST_CASE(
    "A second account for a registered key is refused with the existing id (S-ACCT-03, "
    "S-ACCT-10, S-ACCT-12)",
    "[store][account]") {
  StoreFixture f;
  Account first = f.Account("t1");
  REQUIRE(f.store.UpdateAccount(first.id, [](Account& a) {
    a.status = AccountStatus::kDeactivated;
    return Status();
  }));
  Account again;
  again.key_thumbprint = "t1";
  auto refused = f.store.AddAccount(again);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().existing_account_id == first.id);
  CHECK(refused.error().problem.status == 409);
  CHECK(f.store.Counts().accounts == 1);
}

TEST_CASE(
    "A key change moves the thumbprint index and refuses another account's key (S-KEY-05, "
    "S-KEY-06)",
    "[store][account]") {
  StoreFixture f;
  Account a = f.Account("ta");
  Account b = f.Account("tb");
  auto conflict = f.store.UpdateAccount(a.id, [](Account& acct) {
    acct.key_thumbprint = "tb";
    return Status();
  });
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error().existing_account_id == b.id);
  CHECK(f.store.GetAccount(a.id)->key_thumbprint == "ta");

  auto rolled = f.store.UpdateAccount(a.id, [](Account& acct) {
    acct.key_thumbprint = "ta2";
    return Status();
  });
  REQUIRE(rolled.ok());
  CHECK(f.store.GetAccountByThumbprint("ta2")->id == a.id);
  CHECK_FALSE(f.store.GetAccountByThumbprint("ta").has_value());  // the old key is free again
}

struct AccountStep {
  AccountStatus from;
  AccountStatus to;
  bool legal;
};

// conformance.md §1.2: an account never returns to valid, and revoked/deactivated are final.
TEST_CASE("Account status changes follow RFC 8555 7.1.6 (S-ACCT-10, S-ACCT-11)",
          "[store][account]") {
  const AccountStep steps[] = {
      {AccountStatus::kValid, AccountStatus::kDeactivated, true},
      {AccountStatus::kValid, AccountStatus::kRevoked, true},
      {AccountStatus::kDeactivated, AccountStatus::kValid, false},
      {AccountStatus::kRevoked, AccountStatus::kDeactivated, false},
  };
  for (const AccountStep& step : steps) {
    StoreFixture f;
    Account account = f.Account("t");
    if (step.from != AccountStatus::kValid) {
      REQUIRE(f.store.UpdateAccount(account.id, [&](Account& a) {
        a.status = step.from;
        return Status();
      }));
    }
    auto result = f.store.UpdateAccount(account.id, [&](Account& a) {
      a.status = step.to;
      return Status();
    });
    CHECK(result.ok() == step.legal);
    if (!step.legal) {
      CHECK(result.error().problem.type == ProblemType::kServerInternal);
      CHECK(f.store.GetAccount(account.id)->status == step.from);
    }
  }
}

TEST_CASE("A failing mutator changes nothing and its problem is returned", "[store][account]") {
  StoreFixture f;
  Account account = f.Account("t");
  auto result = f.store.UpdateAccount(account.id, [](Account& a) {
    a.contacts = {"mailto:x@example.com"};
    return Status(mockca::acme::Malformed("no"));
  });
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().problem.type == ProblemType::kMalformed);
  CHECK(f.store.GetAccount(account.id)->contacts.empty());
  CHECK(
      f.store.UpdateAccount("missing", [](Account&) { return Status(); }).error().problem.status ==
      404);
}

TEST_CASE(
    "Certificates are found by id and serial, serials are unique, revocation is final "
    "(RFC 8555 7.6)",
    "[store][certificate]") {
  StoreFixture f;
  mockca::core::Certificate cert;
  cert.serial_hex = "0a1b";
  cert.account_id = "acct";
  cert.der = {1, 2, 3};
  auto added = f.store.AddCertificate(cert);
  REQUIRE(added.ok());
  CHECK(added->issued == mockca::store::testing::kStart);
  CHECK(f.store.GetCertificate(added->id)->der == cert.der);
  CHECK(f.store.GetCertificateBySerial("0a1b")->id == added->id);
  CHECK_FALSE(f.store.GetCertificateBySerial("ffff").has_value());
  CHECK_FALSE(f.store.AddCertificate(cert).ok());  // same serial

  auto revoke = [&](int reason) {
    return f.store.UpdateCertificate(added->id, [&](mockca::core::Certificate& c) {
      c.revoked = mockca::core::Revocation{reason, f.clock.Now()};
      return Status();
    });
  };
  REQUIRE(revoke(1).ok());
  CHECK(f.store.GetCertificate(added->id)->revoked->reason == 1);
  CHECK(revoke(4).error().type == ProblemType::kServerInternal);
  CHECK(f.store
            .UpdateCertificate(added->id,
                               [](mockca::core::Certificate& c) {
                                 c.serial_hex = "other";
                                 return Status();
                               })
            .error()
            .type == ProblemType::kServerInternal);
}

}  // namespace

}  // namespace memory_store_test
