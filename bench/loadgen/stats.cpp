#include "bench/loadgen/stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace bench {
namespace {

// Nearest-rank percentile of sorted samples (p in 0..100).
double Percentile(const std::vector<double>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * sorted.size()));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

double Round3(double value) {
  return std::round(value * 1000.0) / 1000.0;
}

}  // namespace

std::string_view RequestTypeName(RequestType type) {
  switch (type) {
    case RequestType::kDirectory:
      return "directory";
    case RequestType::kNewNonce:
      return "newNonce";
    case RequestType::kNewAccount:
      return "newAccount";
    case RequestType::kNewOrder:
      return "newOrder";
    case RequestType::kAuthz:
      return "authz";
    case RequestType::kChallenge:
      return "challenge";
    case RequestType::kPollAuthz:
      return "pollAuthz";
    case RequestType::kFinalize:
      return "finalize";
    case RequestType::kPollOrder:
      return "pollOrder";
    case RequestType::kCertificate:
      return "certificate";
  }
  return "?";
}

void Stats::Record(RequestType type, std::chrono::steady_clock::duration latency) {
  samples_ms_[static_cast<std::size_t>(type)].push_back(
      std::chrono::duration<double, std::milli>(latency).count());
}

void Stats::Merge(const Stats& other) {
  for (std::size_t i = 0; i < kRequestTypeCount; ++i) {
    samples_ms_[i].insert(samples_ms_[i].end(), other.samples_ms_[i].begin(),
                          other.samples_ms_[i].end());
  }
  bad_nonce_retries_ += other.bad_nonce_retries_;
}

std::size_t Stats::Count(RequestType type) const {
  return samples_ms_[static_cast<std::size_t>(type)].size();
}

nlohmann::json Stats::LatencyJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < kRequestTypeCount; ++i) {
    if (samples_ms_[i].empty()) {
      continue;
    }
    std::vector<double> sorted = samples_ms_[i];
    std::sort(sorted.begin(), sorted.end());
    const double sum = std::accumulate(sorted.begin(), sorted.end(), 0.0);
    out[std::string(RequestTypeName(static_cast<RequestType>(i)))] = {
        {"count", sorted.size()},
        {"p50_ms", Round3(Percentile(sorted, 50))},
        {"p99_ms", Round3(Percentile(sorted, 99))},
        {"max_ms", Round3(sorted.back())},
        {"mean_ms", Round3(sum / sorted.size())}};
  }
  return out;
}

double Stats::MaxMs() const {
  double longest = 0;
  for (const std::vector<double>& samples : samples_ms_) {
    if (!samples.empty()) {
      longest = std::max(longest, *std::max_element(samples.begin(), samples.end()));
    }
  }
  return Round3(longest);
}

}  // namespace bench
