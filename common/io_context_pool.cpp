#include "common/io_context_pool.hpp"

namespace common {

namespace net = boost::asio;

IoContextPool::IoContextPool(std::size_t threads) {
  contexts_.reserve(threads);
  guards_.reserve(threads);
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    // Concurrency hint 1: one thread runs it, so handlers it posts to itself skip the lock.
    contexts_.push_back(std::make_unique<net::io_context>(1));
    guards_.push_back(net::make_work_guard(*contexts_.back()));
  }
  for (auto& context : contexts_) {
    threads_.emplace_back([&context = *context] { context.run(); });
  }
}

IoContextPool::~IoContextPool() {
  guards_.clear();
  for (auto& context : contexts_) {
    context->stop();
  }
  for (std::thread& thread : threads_) {
    thread.join();
  }
}

net::any_io_executor IoContextPool::Next() {
  return contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()]
      ->get_executor();
}

}  // namespace common
