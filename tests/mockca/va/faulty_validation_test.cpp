// Validation faults (conformance.md Part C: F-CHAL-FAIL, F-VA-RETRY's "passes on the Nth attempt"
// as seen by the VA): FaultInjectingValidator around a fake VA.

#include "mockca/va/faulty_validation.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/clock.hpp"
#include "faults/fault_engine.hpp"

namespace faulty_validation_test {

namespace {

using mockca::acme::ProblemType;
using mockca::acme::Status;
using mockca::va::FaultInjectingValidator;
using mockca::va::ValidationJob;
using nlohmann::json;

// The inner VA: records each job; the test finishes it with a result, as a worker thread would.
class FakeValidator final : public mockca::va::ValidationService {
 public:
  void Submit(ValidationJob job, std::function<void(Status)> done) override {
    jobs.push_back(std::move(job));
    dones.push_back(std::move(done));
  }
  void Finish(std::size_t i, const Status& result) { dones.at(i)(result); }
  std::vector<ValidationJob> jobs;
  std::vector<std::function<void(Status)>> dones;
};

struct Fixture {
  common::FakeClock clock{common::Clock::TimePoint(std::chrono::seconds(1'700'000'000))};
  faults::FaultEngine engine{99, clock};
  FakeValidator inner;
  FaultInjectingValidator validator{inner, &engine};
  std::vector<Status> results;

  void AddFault(const json& rule) {
    auto parsed = faults::ParseFaultRule(rule);
    INFO(rule.dump() << ": " << (parsed ? std::string() : parsed.error()));
    REQUIRE(parsed.ok());
    REQUIRE(engine.Add(std::move(parsed).value()).ok());
  }
  static ValidationJob Job(std::string type = "http-01", std::string name = "a.example") {
    return ValidationJob{{"dns", std::move(name)},
                         std::move(type),
                         "token",
                         "token.thumb",
                         "https://ca.test:14000/my-account/acct1"};
  }
  // Submits job; the inner VA then answers inner_result. Returns what done got.
  Status Attempt(ValidationJob job, const Status& inner_result = {}) {
    const std::size_t before = results.size();
    validator.Submit(std::move(job), [this](Status result) { results.push_back(result); });
    REQUIRE(results.size() == before);  // never inline
    REQUIRE(inner.jobs.size() == inner.dones.size());
    inner.Finish(inner.dones.size() - 1, inner_result);
    REQUIRE(results.size() == before + 1);
    return results.back();
  }
};

TEST_CASE("F-CHAL-FAIL: a failValidation rule fails the attempt with incorrectResponse by default",
          "[va][faults]") {
  Fixture f;
  f.AddFault({{"id", "fail-http"}, {"fault", "failValidation"}, {"where", "http-01"}});
  const Status result = f.Attempt(Fixture::Job());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().type == ProblemType::kIncorrectResponse);
  CHECK(result.error().status == 403);
  CHECK(result.error().detail == "injected validation failure (rule fail-http)");
  // The inner VA still got the job, as submitted (its sleeps and threads stay).
  REQUIRE(f.inner.jobs.size() == 1);
  CHECK(f.inner.jobs[0].token == "token");
  const json log = f.engine.LogJson()["decisions"];
  REQUIRE(log.size() == 1);
  CHECK(log[0]["where"] == "http-01");
  CHECK(log[0]["subject"] == "http-01 a.example");
  CHECK(log[0]["account"] == "https://ca.test:14000/my-account/acct1");
}

TEST_CASE("No rule, or a rule for another challenge type: the inner result passes through",
          "[va][faults]") {
  Fixture f;
  CHECK(f.Attempt(Fixture::Job()).ok());
  const Status inner_failure = mockca::acme::MakeProblem(ProblemType::kConnection, "refused");
  CHECK(f.Attempt(Fixture::Job(), inner_failure).error().type == ProblemType::kConnection);
  f.AddFault({{"fault", "failValidation"}, {"where", "dns-01"}});
  CHECK(f.Attempt(Fixture::Job("http-01")).ok());
  CHECK_FALSE(f.Attempt(Fixture::Job("dns-01")).ok());
}

TEST_CASE("F-CHAL-FAIL(type): the rule's type, short or full URN, and detail", "[va][faults]") {
  Fixture f;
  f.AddFault({{"fault", "failValidation"},
              {"where", "dns-01"},
              {"type", "dns"},
              {"detail", "no TXT record found"},
              {"when", {{"identifier", "b.example"}}}});
  f.AddFault({{"fault", "failValidation"},
              {"where", "tls-alpn-01"},
              {"type", "urn:ietf:params:acme:error:caa"}});
  const Status dns = f.Attempt(Fixture::Job("dns-01", "b.example"));
  REQUIRE_FALSE(dns.ok());
  CHECK(dns.error().type == ProblemType::kDns);
  CHECK(dns.error().detail == "no TXT record found");
  CHECK(f.Attempt(Fixture::Job("dns-01", "a.example")).ok());  // the identifier filter
  const Status caa = f.Attempt(Fixture::Job("tls-alpn-01"));
  REQUIRE_FALSE(caa.ok());
  CHECK(caa.error().type == ProblemType::kCaa);
  CHECK(caa.error().status == 403);
}

TEST_CASE("A type mockca cannot represent becomes incorrectResponse naming it", "[va][faults]") {
  const auto problem = mockca::va::InjectedProblem("https://example.com/problems/odd", "", "r9");
  CHECK(problem.type == ProblemType::kIncorrectResponse);
  CHECK(problem.detail ==
        "injected validation failure (rule r9) [type https://example.com/problems/odd]");
  CHECK(mockca::va::InjectedProblem("", "", "r1").type == ProblemType::kIncorrectResponse);
  CHECK(mockca::va::InjectedProblem("rateLimited", "x", "r1").status == 429);
}

// mockca turns a challenge invalid on its first failed attempt (no retries), so "passes only on
// the Nth attempt" means N - 1 failed challenges, each retried by the client with a new order.
TEST_CASE("F-VA-RETRY (per attempt): when.first = N - 1 makes the Nth attempt pass",
          "[va][faults]") {
  Fixture f;
  f.AddFault({{"fault", "failValidation"}, {"when", {{"first", 2}}}});
  CHECK_FALSE(f.Attempt(Fixture::Job()).ok());
  CHECK_FALSE(f.Attempt(Fixture::Job("dns-01")).ok());
  CHECK(f.Attempt(Fixture::Job()).ok());
  CHECK(f.Attempt(Fixture::Job()).ok());
  CHECK(f.inner.jobs.size() == 4);
}

TEST_CASE("The account filter matches the job's account URL", "[va][faults]") {
  Fixture f;
  f.AddFault({{"fault", "failValidation"}, {"when", {{"account", "acct1"}}}});
  CHECK_FALSE(f.Attempt(Fixture::Job()).ok());
  ValidationJob other = Fixture::Job();
  other.account_url = "https://ca.test:14000/my-account/acct2";
  CHECK(f.Attempt(other).ok());
}

TEST_CASE("A null engine makes the decorator transparent", "[va][faults]") {
  FakeValidator inner;
  FaultInjectingValidator validator(inner, nullptr);
  std::optional<Status> got;
  validator.Submit(Fixture::Job(), [&got](Status result) { got = result; });
  CHECK_FALSE(got.has_value());
  inner.Finish(0, {});
  REQUIRE(got.has_value());
  CHECK(got->ok());
}

}  // namespace

}  // namespace faulty_validation_test
