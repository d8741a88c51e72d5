#include "bench/loadgen/startup.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "bench/loadgen/http_client.hpp"
#include "bench/loadgen/url.hpp"

namespace bench {
namespace {

using Clock = std::chrono::steady_clock;

pid_t Spawn(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

// SIGTERM, then SIGKILL if it has not exited within 10 s; reaps it.
void Stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (::waitpid(pid, nullptr, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

nlohmann::json MeasureStartup(const StartupSpec& spec) {
  nlohmann::json out = {{"workload", "startup"}, {"count", spec.repeat}};
  std::vector<double> runs;
  std::vector<std::string> errors;
  auto url = ParseUrl(spec.directory_url);
  if (!url || spec.argv.empty()) {
    errors.push_back(url ? "no server command" : url.error());
  }
  const TlsClientContext tls;
  for (int run = 0; errors.empty() && run < spec.repeat; ++run) {
    const auto t0 = Clock::now();
    const pid_t pid = Spawn(spec.argv);
    if (pid < 0) {
      errors.push_back("fork failed");
      break;
    }
    const auto deadline = t0 + std::chrono::duration<double>(spec.timeout_s);
    for (;;) {
      HttpConnection probe(tls, url->host, url->port);
      auto response = probe.Send({"GET", url->target, "", ""});
      if (response && response->status == 200) {
        runs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        break;
      }
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        errors.push_back(spec.argv[0] + " exited before serving the directory (status " +
                         std::to_string(status) + ")");
        break;
      }
      if (Clock::now() > deadline) {
        errors.push_back(
            "no directory within the timeout: " +
            (response ? "status " + std::to_string(response->status) : response.error()));
        break;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    Stop(pid);
  }
  std::vector<double> sorted = runs;
  std::sort(sorted.begin(), sorted.end());
  auto rounded = [](double ms) { return std::round(ms * 100) / 100; };
  for (double& ms : runs) {
    ms = rounded(ms);
  }
  out["runs_ms"] = runs;
  out["ok"] = runs.size();
  out["failed"] = spec.repeat - static_cast<int>(runs.size());
  out["errors"] = errors;
  if (!sorted.empty()) {
    out["median_ms"] = rounded(sorted[sorted.size() / 2]);
    out["min_ms"] = rounded(sorted.front());
  }
  return out;
}

}  // namespace bench
