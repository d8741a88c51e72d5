#include "common/worker_pool.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

namespace worker_pool_test {

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

TEST_CASE("WorkerPool WaitIdle returns once every queued and running task ended", "[worker_pool]") {
  using std::chrono::milliseconds;
  common::WorkerPool pool(2);
  CHECK(pool.WaitIdle(milliseconds(0)));  // nothing posted
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) {
    pool.Post([released, &ran] {
      released.wait();
      ++ran;
    });
  }
  CHECK_FALSE(pool.WaitIdle(milliseconds(50)));  // two running, three queued
  release.set_value();
  CHECK(pool.WaitIdle(milliseconds(5000)));
  CHECK(ran == 5);
  CHECK(pool.Pending() == 0);
}

TEST_CASE("WorkerPool DropPending removes the queued tasks but not the running one",
          "[worker_pool]") {
  common::WorkerPool pool(1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran{0};
  pool.Post([released, &started, &ran] {
    started.set_value();
    released.wait();
    ++ran;
  });
  for (int i = 0; i < 4; ++i) {
    pool.Post([&ran] { ++ran; });
  }
  started.get_future().wait();
  CHECK(pool.DropPending() == 4);
  CHECK(pool.Pending() == 0);
  release.set_value();
  CHECK(pool.WaitIdle(std::chrono::milliseconds(5000)));
  CHECK(ran == 1);
}

}  // namespace worker_pool_test
