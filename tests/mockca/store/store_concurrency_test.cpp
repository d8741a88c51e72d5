#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "mockca/store/memory_store.hpp"
#include "tests/mockca/store/store_fixture.hpp"

namespace store_concurrency_test {

namespace {

using mockca::acme::Status;
using mockca::core::Account;
using mockca::core::Order;
using mockca::store::testing::StoreFixture;

// anchors §5: one shared_mutex, copies out, Update(id, fn) in. Run under the tsan preset too.
TEST_CASE("Concurrent updates and reads keep every write (smoke test, run under TSan)",
          "[store][concurrency]") {
  StoreFixture f;
  Account account = f.Account("t");
  Order order = f.Order(account.id, {"a.example"});
  constexpr int kWriters = 4;
  constexpr int kIterations = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kIterations; ++i) {
        auto updated = f.store.UpdateAccount(account.id, [&](Account& a) {
          a.contacts.push_back("mailto:" + std::to_string(w) + "-" + std::to_string(i) + "@x");
          return Status();
        });
        if (!updated.ok()) {
          ++failures;
        }
        Order mine = f.Order(account.id, {"w" + std::to_string(w) + ".example"});
        if (!f.store.GetAuthorization(mine.authz_ids[0]).has_value()) {
          ++failures;
        }
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < kIterations * kWriters; ++i) {
      if (!f.store.GetAccount(account.id).has_value() ||
          !f.store.OrderStatusOf(order.id, f.clock.Now()).has_value()) {
        ++failures;
      }
      (void)f.store.ListOrderIds(account.id, 0, 5, f.clock.Now());
      (void)f.store.Counts();
    }
  });
  for (std::thread& t : threads) {
    t.join();
  }
  CHECK(failures.load() == 0);
  CHECK(f.store.GetAccount(account.id)->contacts.size() == kWriters * kIterations);
  CHECK(f.store.Counts().orders == 1 + kWriters * kIterations);
}

}  // namespace

}  // namespace store_concurrency_test
