#include "bench/loadgen/workers.hpp"

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <latch>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "bench/loadgen/acme_client.hpp"
#include "bench/loadgen/http_client.hpp"
#include "bench/loadgen/proc_sampler.hpp"
#include "bench/loadgen/stats.hpp"

namespace bench {
namespace {

constexpr std::size_t kErrorsKept = 5;

// Failures of all workers: counted, the first few kept verbatim.
class Failures {
 public:
  void Add(std::string error) {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++count_;
    if (errors_.size() < kErrorsKept) {
      errors_.push_back(std::move(error));
    }
  }
  int count() const { return count_; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::mutex mutex_;
  int count_ = 0;
  std::vector<std::string> errors_;
};

double ClientCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double Round(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

const char* WorkloadName(Workload workload) {
  switch (workload) {
    case Workload::kFlows:
      return "flows";
    case Workload::kNonce:
      return "newNonce";
    case Workload::kDirectory:
      return "directory";
  }
  return "?";
}

struct Worker {
  Stats stats;
  int connections = 0;
};

// One worker thread: set up, wait for the start, then take operations until none are left.
void RunWorker(const WorkloadSpec& spec, const TlsClientContext& tls, const Url& directory,
               int index, Worker& worker, std::atomic<int>& next, std::atomic<bool>& hung,
               Failures& set_up_failures, Failures& failures, std::latch& ready,
               std::latch& start) {
  HttpConnection connection(tls, directory.host, directory.port);
  Stats setup_stats;
  AcmeClient client(connection, &setup_stats, directory);
  Status set_up = client.LoadDirectory();
  if (set_up && spec.workload == Workload::kFlows) {
    set_up = client.CreateAccount();
  }
  ready.count_down();
  start.wait();
  if (!set_up) {
    if (set_up.error().find(kTimeoutError) != std::string::npos) {
      hung.store(true);
    }
    set_up_failures.Add("worker set-up: " + set_up.error());
    return;
  }
  client.UseStats(&worker.stats);
  // A server that stops answering (Pebble 2.4.0 can deadlock under concurrent flows) ends the
  // run for every worker instead of costing each of them a timeout per operation.
  for (int i; !hung.load() && (i = next.fetch_add(1)) < spec.count;) {
    Status done;
    switch (spec.workload) {
      case Workload::kFlows:
        done = client.RunFlow(spec.name_tag + "-" + std::to_string(index) + "-" +
                              std::to_string(i) + ".bench.anvil.test");
        break;
      case Workload::kNonce:
        done = client.FetchNonce();
        break;
      case Workload::kDirectory:
        done = client.LoadDirectory();
        break;
    }
    if (!done) {
      if (done.error().find(kTimeoutError) != std::string::npos) {
        hung.store(true);
      }
      failures.Add(done.error());
    }
  }
  worker.connections = connection.connects();
}

}  // namespace

nlohmann::json RunWorkload(const WorkloadSpec& spec) {
  nlohmann::json out = {{"workload", WorkloadName(spec.workload)},
                        {"concurrency", spec.concurrency},
                        {"count", spec.count}};
  auto directory = ParseUrl(spec.directory_url);
  if (!directory) {
    out["ok"] = 0;
    out["failed"] = spec.count;
    out["errors"] = {directory.error()};
    return out;
  }
  const TlsClientContext tls;
  std::vector<Worker> workers(static_cast<std::size_t>(spec.concurrency));
  std::atomic<int> next{0};
  std::atomic<bool> hung{false};
  Failures set_up_failures;
  Failures failures;
  std::latch ready(spec.concurrency);
  std::latch start(1);
  std::vector<std::thread> threads;
  for (int i = 0; i < spec.concurrency; ++i) {
    threads.emplace_back(RunWorker, std::cref(spec), std::cref(tls), std::cref(*directory), i,
                         std::ref(workers[static_cast<std::size_t>(i)]), std::ref(next),
                         std::ref(hung), std::ref(set_up_failures), std::ref(failures),
                         std::ref(ready), std::ref(start));
  }
  ready.wait();
  std::optional<ProcSample> before;
  std::string sample_error;
  if (spec.server_pid != 0) {
    auto sample = SampleProcess(spec.server_pid);
    if (sample) {
      before = *sample;
    } else {
      sample_error = sample.error();
    }
  }
  const double client_cpu_before = ClientCpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  start.count_down();
  for (auto& thread : threads) {
    thread.join();
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double client_cpu = ClientCpuSeconds() - client_cpu_before;

  Stats merged;
  int connections = 0;
  for (const Worker& worker : workers) {
    merged.Merge(worker.stats);
    connections += worker.connections;
  }
  // Operations left untaken (every worker's set-up failed) are failures too.
  const int taken = std::min(next.load(), spec.count);
  const int ok = taken - failures.count();
  out["ok"] = ok;
  out["failed"] = spec.count - ok;
  out["set_up_failed"] = set_up_failures.count();
  if (hung.load()) {
    out["aborted"] = std::string("the server stopped answering: ") + kTimeoutError;
  }
  std::vector<std::string> errors = set_up_failures.errors();
  errors.insert(errors.end(), failures.errors().begin(), failures.errors().end());
  out["errors"] = errors;
  out["wall_s"] = Round(wall, 4);
  out["ops_per_s"] = wall > 0 ? Round(ok / wall, 2) : 0.0;
  out["client_cpu_ms_per_op"] = ok > 0 ? Round(client_cpu * 1000 / ok, 4) : 0.0;
  out["latency"] = merged.LatencyJson();
  out["max_latency_ms"] = merged.MaxMs();
  std::size_t requests = 0;
  for (std::size_t i = 0; i < kRequestTypeCount; ++i) {
    requests += merged.Count(static_cast<RequestType>(i));
  }
  out["requests_per_op"] = ok > 0 ? Round(static_cast<double>(requests) / ok, 3) : 0.0;
  if (spec.workload == Workload::kFlows) {
    out["polls_per_flow"] = {
        {"authz", ok > 0 ? Round(double(merged.Count(RequestType::kPollAuthz)) / ok, 3) : 0.0},
        {"order", ok > 0 ? Round(double(merged.Count(RequestType::kPollOrder)) / ok, 3) : 0.0}};
  }
  out["bad_nonce_retries"] = merged.bad_nonce_retries();
  out["connections"] = connections;
  if (spec.server_pid != 0) {
    auto after = SampleProcess(spec.server_pid);
    if (before && after) {
      const double cpu = after->cpu_seconds - before->cpu_seconds;
      out["proc"] = {{"pid", spec.server_pid},
                     {"cpu_s", Round(cpu, 3)},
                     {"cpu_ms_per_op", ok > 0 ? Round(cpu * 1000 / ok, 4) : 0.0},
                     {"rss_kib_before", before->rss_kib},
                     {"rss_kib_after", after->rss_kib}};
    } else {
      out["proc"] = {{"pid", spec.server_pid}, {"error", before ? after.error() : sample_error}};
    }
  }
  return out;
}

}  // namespace bench
