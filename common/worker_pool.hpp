#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace common {

// A fixed set of threads running posted tasks in FIFO order: the place for blocking work (challenge
// validation, issuance) that must stay off the I/O threads.
//
// The destructor stops taking tasks, runs the ones already queued, and joins the threads, so a task
// may use anything that outlives the pool. Tasks must not throw (an escaping exception terminates)
// and must not destroy the pool.
class WorkerPool {
 public:
  // REQUIRES: threads > 0.
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues task. After the destructor began, the task is dropped (never run).
  void Post(std::function<void()> task);

  // Tasks queued and not yet started.
  std::size_t Pending() const;

  // Removes the queued tasks that have not started (never run); returns how many (shutdown: work
  // nobody will see the result of).
  std::size_t DropPending();

  // Waits until no task is queued or running, at most timeout; returns whether that happened.
  // Tasks posted meanwhile are waited for too.
  bool WaitIdle(std::chrono::milliseconds timeout) const;

 private:
  void Run();

  mutable std::mutex mu_;
  std::condition_variable wake_;
  mutable std::condition_variable idle_;     // notified when a task ends with nothing queued
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  std::size_t running_ = 0;                  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace common
