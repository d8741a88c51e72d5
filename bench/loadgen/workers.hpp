#pragma once

// Runs one workload on N worker threads, each with its own connection (and, for flows, its own
// account), and measures it: wall time, the server's CPU time and RSS from /proc, per-request
// latencies.

#include <sys/types.h>

#include <string>

#include "common/json.hpp"

namespace bench {

enum class Workload {
  kFlows,      // full issuance flows (AcmeClient::RunFlow)
  kNonce,      // HEAD newNonce
  kDirectory,  // GET directory
};

struct WorkloadSpec {
  Workload workload = Workload::kFlows;
  std::string directory_url;
  int concurrency = 1;
  int count = 100;       // operations in total, shared by the workers
  pid_t server_pid = 0;  // 0: no server CPU/RSS figures
  std::string name_tag;  // makes identifiers unique across runs against one server
};

// Sets every worker up (directory, account) before the clock and the server's CPU counter start,
// then runs spec.count operations. Returns one JSON object: workload, concurrency, ok, failed,
// set_up_failed (workers whose set-up failed; the others take their share), aborted (present when
// a request timed out: the run stops, what is left counts as failed), errors (the first few,
// verbatim), wall_s, ops_per_s, proc (the server process: cpu_s, cpu_ms_per_op, rss_kib_before,
// rss_kib_after), client_cpu_ms_per_op, latency (per request type), max_latency_ms,
// requests_per_op, polls_per_flow, bad_nonce_retries and connections.
nlohmann::json RunWorkload(const WorkloadSpec& spec);

}  // namespace bench
