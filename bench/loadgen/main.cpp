// anvil-loadgen: the load generator of bench/ (see bench/README.md). One measurement per
// invocation, printed as one JSON line on stdout; bench/run drives it.
//
//   anvil-loadgen flows|newNonce|directory --directory URL [--concurrency N] [--count N]
//                 [--server-pid PID] [--tag TEXT]
//   anvil-loadgen startup --directory URL [--repeat N] [--timeout S] -- SERVER ARGS...
//   anvil-loadgen crypto-floor [--count N]
//
// Exit status: 0 when every operation succeeded, 1 when any failed, 2 for a usage error.

#include <sys/types.h>

#include <charconv>
#include <iostream>
#include <string>
#include <vector>

#include "common/flag_set.hpp"
#include "common/json.hpp"

#include "bench/loadgen/crypto_floor.hpp"
#include "bench/loadgen/startup.hpp"
#include "bench/loadgen/workers.hpp"

namespace {

constexpr const char* kUsage =
    "usage: anvil-loadgen flows|newNonce|directory --directory URL [--concurrency N] [--count N]\n"
    "                     [--server-pid PID] [--tag TEXT]\n"
    "       anvil-loadgen startup --directory URL [--repeat N] [--timeout S] -- SERVER ARGS...\n"
    "       anvil-loadgen crypto-floor [--count N]\n";

bool ParseInt(const std::string& text, long min, long* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && *out >= min;
}

int UsageError(const std::string& why) {
  std::cerr << "anvil-loadgen: " << why << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    return UsageError("no workload");
  }
  const std::string workload = argv[1];
  // Everything after "--" is the server command line (startup only).
  std::vector<const char*> flags = {argv[0]};
  std::vector<std::string> server_argv;
  bool after_dashes = false;
  for (int i = 2; i < argc; ++i) {
    if (!after_dashes && std::string(argv[i]) == "--") {
      after_dashes = true;
    } else if (after_dashes) {
      server_argv.emplace_back(argv[i]);
    } else {
      flags.push_back(argv[i]);
    }
  }
  std::string directory, concurrency = "1", count = "100", server_pid = "0", tag = "bench";
  std::string repeat = "5", timeout = "30";
  common::FlagSet flag_set("anvil-loadgen");
  flag_set.String({"directory"}, &directory, "the server's directory URL (https)");
  flag_set.String({"concurrency"}, &concurrency, "workers, each with a connection and account");
  flag_set.String({"count"}, &count, "operations in total");
  flag_set.String({"server-pid"}, &server_pid, "the server's PID, for CPU and RSS from /proc");
  flag_set.String({"tag"}, &tag, "prefix of the identifiers ordered (unique per run)");
  flag_set.String({"repeat"}, &repeat, "startup: how many starts");
  flag_set.String({"timeout"}, &timeout, "startup: seconds to wait for the directory");
  if (auto parsed = flag_set.Parse(static_cast<int>(flags.size()), flags.data()); !parsed) {
    return UsageError(parsed.error());
  }
  if (directory.empty() && workload != "crypto-floor") {
    return UsageError("--directory is required");
  }
  long concurrency_n = 0, count_n = 0, pid_n = 0, repeat_n = 0, timeout_n = 0;
  if (!ParseInt(concurrency, 1, &concurrency_n) || !ParseInt(count, 1, &count_n) ||
      !ParseInt(server_pid, 0, &pid_n) || !ParseInt(repeat, 1, &repeat_n) ||
      !ParseInt(timeout, 1, &timeout_n)) {
    return UsageError("--concurrency, --count, --repeat and --timeout take integers >= 1");
  }

  if (!server_argv.empty() && workload != "startup") {
    return UsageError("a server command is for startup only");
  }
  nlohmann::json result;
  if (workload == "crypto-floor") {
    result = bench::MeasureCryptoFloor(static_cast<int>(count_n));
  } else if (workload == "startup") {
    if (server_argv.empty()) {
      return UsageError("startup needs the server command after --");
    }
    result = bench::MeasureStartup(
        {server_argv, directory, static_cast<int>(repeat_n), static_cast<double>(timeout_n)});
  } else {
    bench::WorkloadSpec spec;
    if (workload == "flows") {
      spec.workload = bench::Workload::kFlows;
    } else if (workload == "newNonce") {
      spec.workload = bench::Workload::kNonce;
    } else if (workload == "directory") {
      spec.workload = bench::Workload::kDirectory;
    } else {
      return UsageError("unknown workload " + workload);
    }
    spec.directory_url = directory;
    spec.concurrency = static_cast<int>(concurrency_n);
    spec.count = static_cast<int>(count_n);
    spec.server_pid = static_cast<pid_t>(pid_n);
    spec.name_tag = tag;
    result = bench::RunWorkload(spec);
  }
  std::cout << result.dump() << std::endl;
  return result.value("failed", 0) == 0 ? 0 : 1;
}
