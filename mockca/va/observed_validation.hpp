#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common/clock.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/va/validation_service.hpp"

namespace mockca::va {

// One finished validation attempt, as the VA probe log records it (conformance.md §0).
struct ValidationAttempt {
  ValidationJob job;
  common::Clock::TimePoint started;  // when the job was submitted
  std::chrono::microseconds duration{0};
  acme::Status result;  // ok, or the problem the challenge gets
};

using ValidationObserver = std::function<void(const ValidationAttempt&)>;

// What an attempt of job probes, for people: the http-01 URL
// ("http://a.test:5002/.well-known/acme-challenge/<token>", IPv6 literals bracketed), the dns-01
// TXT name ("TXT _acme-challenge.a.test") or the tls-alpn-01 endpoint ("a.test:5001 (ALPN
// acme-tls/1)"); the challenge type and identifier for anything else.
std::string ProbeTarget(const ValidationJob& job, std::uint16_t http_port,
                        std::uint16_t tls_alpn_port);

// The ValidationService that tells observer of every attempt once it is decided: a decorator, so
// the probe log sees exactly what the challenge gets (an injected failure included, when it wraps
// the FaultInjectingValidator). observer runs on the worker thread that calls done, just before
// done; it must be thread-safe and must not throw.
//
// REQUIRES: inner and clock outlive this object, and what observer refers to outlives inner's
// queued jobs.
class ObservedValidator final : public ValidationService {
 public:
  ObservedValidator(ValidationService& inner, const common::Clock& clock,
                    ValidationObserver observer);
  ObservedValidator(const ObservedValidator&) = delete;
  ObservedValidator& operator=(const ObservedValidator&) = delete;

  void Submit(ValidationJob job, std::function<void(acme::Status)> done) override;

 private:
  ValidationService& inner_;
  const common::Clock& clock_;
  const ValidationObserver observer_;
};

}  // namespace mockca::va
