#include "common/worker_pool.hpp"

#include <atomic>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

namespace {

TEST_CASE("WorkerPool runs every posted task, on its own threads", "[worker_pool]") {
  std::atomic<int> ran{0};
  std::mutex mu;
  std::set<std::thread::id> seen;
  {
    common::WorkerPool pool(3);
    for (int i = 0; i < 200; ++i) {
      pool.Post([&] {
        ++ran;
        std::lock_guard lock(mu);
        seen.insert(std::this_thread::get_id());
      });
    }
  }  // the destructor drains the queue before joining
  CHECK(ran == 200);
  CHECK(seen.count(std::this_thread::get_id()) == 0);
  CHECK_FALSE(seen.empty());
}

TEST_CASE("WorkerPool keeps FIFO order on one thread", "[worker_pool]") {
  std::vector<int> order;
  {
    common::WorkerPool pool(1);
    for (int i = 0; i < 10; ++i) {
      pool.Post([&order, i] { order.push_back(i); });
    }
  }
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
}

}  // namespace
