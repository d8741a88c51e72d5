#include "mockca/va/observed_validation.hpp"

#include <utility>

namespace mockca::va {
namespace {

std::string HostForUrl(const acme::Identifier& identifier) {
  const bool ipv6 = identifier.value.find(':') != std::string::npos;
  return ipv6 ? "[" + identifier.value + "]" : identifier.value;
}

}  // namespace

std::string ProbeTarget(const ValidationJob& job, std::uint16_t http_port,
                        std::uint16_t tls_alpn_port) {
  const std::string host = HostForUrl(job.identifier);
  if (job.challenge_type == "http-01") {
    return "http://" + host + ":" + std::to_string(http_port) + "/.well-known/acme-challenge/" +
           job.token;
  }
  if (job.challenge_type == "dns-01") {
    return "TXT _acme-challenge." + job.identifier.value;
  }
  if (job.challenge_type == "tls-alpn-01") {
    return host + ":" + std::to_string(tls_alpn_port) + " (ALPN acme-tls/1)";
  }
  return job.challenge_type + " " + job.identifier.value;
}

ObservedValidator::ObservedValidator(ValidationService& inner, const common::Clock& clock,
                                     ValidationObserver observer)
    : inner_(inner), clock_(clock), observer_(std::move(observer)) {}

void ObservedValidator::Submit(ValidationJob job, std::function<void(acme::Status)> done) {
  if (!observer_) {
    inner_.Submit(std::move(job), std::move(done));
    return;
  }
  const common::Clock::TimePoint started = clock_.Now();
  const auto start = std::chrono::steady_clock::now();
  ValidationJob copy = job;
  // The callback holds its own observer: inner may finish queued jobs after this object is gone.
  inner_.Submit(std::move(job), [observer = observer_, copy = std::move(copy), started, start,
                                 done = std::move(done)](acme::Status result) mutable {
    const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    observer(ValidationAttempt{std::move(copy), started, duration, result});
    done(std::move(result));
  });
}

}  // namespace mockca::va
