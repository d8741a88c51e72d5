#include "common/worker_pool.hpp"

#include <utility>

namespace common {

WorkerPool::WorkerPool(std::size_t threads) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { Run(); });
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) {
    thread.join();
  }
}

void WorkerPool::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      return;
    }
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

std::size_t WorkerPool::Pending() const {
  std::lock_guard lock(mu_);
  return tasks_.size();
}

std::size_t WorkerPool::DropPending() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mu_);
    dropped.swap(tasks_);
    if (running_ != 0 || dropped.empty()) {
      return dropped.size();  // the last running task notifies idle_
    }
  }
  idle_.notify_all();
  return dropped.size();  // their captures are destroyed here, outside the lock
}

bool WorkerPool::WaitIdle(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return idle_.wait_for(lock, timeout, [this] { return tasks_.empty() && running_ == 0; });
}

void WorkerPool::Run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) {
        return;  // stopping, and everything queued has run
      }
      task = std::move(tasks_.front());
      tasks_.pop_front();
      ++running_;
    }
    task();
    task = nullptr;  // what the task captured goes before the pool says it is idle
    {
      std::lock_guard lock(mu_);
      --running_;
      if (running_ != 0 || !tasks_.empty()) {
        continue;
      }
    }
    idle_.notify_all();
  }
}

}  // namespace common
