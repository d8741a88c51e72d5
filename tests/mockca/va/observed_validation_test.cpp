// The VA probe log's source (conformance.md §0): ObservedValidator around a fake VA.

#include "mockca/va/observed_validation.hpp"

#include <functional>
#include <memory>
#include <vector>

#include <catch2/catch.hpp>

namespace observed_validation_test {

namespace {

using mockca::acme::Status;
using mockca::va::ObservedValidator;
using mockca::va::ValidationAttempt;
using mockca::va::ValidationJob;

class FakeValidator final : public mockca::va::ValidationService {
 public:
  void Submit(ValidationJob job, std::function<void(Status)> done) override {
    jobs.push_back(std::move(job));
    dones.push_back(std::move(done));
  }
  std::vector<ValidationJob> jobs;
  std::vector<std::function<void(Status)>> dones;
};

ValidationJob Job(std::string type, std::string kind, std::string value) {
  return ValidationJob{{std::move(kind), std::move(value)},
                       std::move(type),
                       "tok",
                       "tok.tp",
                       "https://ca.test/my-account/1"};
}

TEST_CASE("ProbeTarget names what each challenge type probes", "[va]") {
  using mockca::va::ProbeTarget;
  CHECK(ProbeTarget(Job("http-01", "dns", "a.test"), 5002, 5001) ==
        "http://a.test:5002/.well-known/acme-challenge/tok");
  CHECK(ProbeTarget(Job("http-01", "ip", "::1"), 80, 443) ==
        "http://[::1]:80/.well-known/acme-challenge/tok");
  CHECK(ProbeTarget(Job("dns-01", "dns", "a.test"), 80, 443) == "TXT _acme-challenge.a.test");
  CHECK(ProbeTarget(Job("tls-alpn-01", "ip", "127.0.0.1"), 80, 5001) ==
        "127.0.0.1:5001 (ALPN acme-tls/1)");
  CHECK(ProbeTarget(Job("x-99", "dns", "a.test"), 80, 443) == "x-99 a.test");
}

TEST_CASE("ObservedValidator tells the observer each outcome before done with its timing", "[va]") {
  common::FakeClock clock{common::Clock::TimePoint(std::chrono::seconds(1'700'000'000))};
  FakeValidator inner;
  std::vector<ValidationAttempt> attempts;
  std::vector<std::string> order;
  auto validator =
      std::make_unique<ObservedValidator>(inner, clock, [&](const ValidationAttempt& attempt) {
        attempts.push_back(attempt);
        order.push_back("observer");
      });
  std::vector<Status> results;
  validator->Submit(Job("dns-01", "dns", "a.test"), [&](Status result) {
    results.push_back(result);
    order.push_back("done");
  });
  validator->Submit(Job("http-01", "dns", "b.test"), [&](Status result) {
    results.push_back(result);
    order.push_back("done");
  });
  REQUIRE(inner.jobs.size() == 2);
  CHECK(inner.jobs[0].identifier.value == "a.test");
  CHECK(attempts.empty());  // nothing until the VA decides

  inner.dones[0](mockca::acme::Unauthorized("no TXT record"));
  // The inner VA may finish a queued job after the decorator is gone.
  validator.reset();
  inner.dones[1](Status());

  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0].job.challenge_type == "dns-01");
  CHECK(attempts[0].started == clock.Now());
  CHECK_FALSE(attempts[0].result.ok());
  CHECK(attempts[0].result.error().detail == "no TXT record");
  CHECK(attempts[1].result.ok());
  CHECK(results.size() == 2);
  CHECK_FALSE(results[0].ok());
  CHECK(order == std::vector<std::string>{"observer", "done", "observer", "done"});
}

}  // namespace

}  // namespace observed_validation_test
