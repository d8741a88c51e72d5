#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

#include "common/json.hpp"

namespace bench {

// The request kinds latencies are kept for (the polls are separate from the first fetch).
enum class RequestType {
  kDirectory,
  kNewNonce,
  kNewAccount,
  kNewOrder,
  kAuthz,
  kChallenge,
  kPollAuthz,
  kFinalize,
  kPollOrder,
  kCertificate,
};
inline constexpr std::size_t kRequestTypeCount = 10;

// "directory", "newNonce", ... as they appear in the JSON output.
std::string_view RequestTypeName(RequestType type);

// Per-request latencies and counters of one worker; workers' stats are merged after the run. Not
// thread-safe.
class Stats {
 public:
  void Record(RequestType type, std::chrono::steady_clock::duration latency);
  void CountBadNonceRetry() { ++bad_nonce_retries_; }
  void Merge(const Stats& other);

  std::size_t Count(RequestType type) const;
  std::size_t bad_nonce_retries() const { return bad_nonce_retries_; }

  // {"<type>": {"count", "p50_ms", "p99_ms", "max_ms", "mean_ms"}} for every type with samples.
  nlohmann::json LatencyJson() const;
  // The longest request of any type, in ms (0 without samples).
  double MaxMs() const;

 private:
  std::array<std::vector<double>, kRequestTypeCount> samples_ms_;
  std::size_t bad_nonce_retries_ = 0;
};

}  // namespace bench
