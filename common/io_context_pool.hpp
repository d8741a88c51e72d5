#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace common {

// Several io_contexts, each run by a thread of its own, for connections that are handed out
// round robin: all the work of one connection stays on one thread. One io_context run by several
// threads wakes a sleeping thread for most completions; for mockca's ACME connections that cost
// about a fifth of the CPU per flow (bench/README.md, "Optimisations").
//
// The destructor stops every context, joins the threads, and then destroys what was still queued
// (a connection's pending operations end with it), so whatever the handlers use must outlive the
// pool.
class IoContextPool {
 public:
  // REQUIRES: threads > 0.
  explicit IoContextPool(std::size_t threads);
  ~IoContextPool();
  IoContextPool(const IoContextPool&) = delete;
  IoContextPool& operator=(const IoContextPool&) = delete;

  // The executor of the next context, round robin. Thread-safe.
  boost::asio::any_io_executor Next();

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<WorkGuard> guards_;  // keep each context running while it has no work
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace common
