// Client rules B.8 (C-CHAL): the challenge answer and authz polling.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace challenge_rules_test {

namespace {

using namespace record_test;

TEST_CASE("C-CHAL-02 fails a keyAuthorization answer and a JSON string", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("challenge", "/chalZ/1", {{"keyAuthorization", "t.thumb"}});
  builder.Post("challenge", "/chalZ/1", "");
  const Finding finding = JudgeOne(builder.Build(), "C-CHAL-02");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 12});
  CHECK_THAT(finding.summary, Catch::Contains("keyAuthorization"));
}

TEST_CASE("C-CHAL-02 passes {}, is not tested with only challenge fetches", "[report][rules]") {
  const Finding finding = JudgeOne(ConformingFlow().Build(), "C-CHAL-02");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence == std::vector<std::uint64_t>{6});
  RecordBuilder fetch;
  fetch.Post("challenge", "/chalZ/1");
  CHECK(JudgeOne(fetch.Build(), "C-CHAL-02").verdict == Verdict::kNotTested);
}

// An authz answered pending with Retry-After 3, then polled after `after`.
ClientRecord AuthzPolledAfter(std::chrono::milliseconds after) {
  RecordBuilder builder;
  Exchange& authz = builder.Post("authz", "/authZ/1");
  Respond(authz, 200, {{"status", "pending"}});
  authz.response_headers.emplace_back("Retry-After", "3");
  builder.Advance(after - std::chrono::seconds(1));
  builder.Post("authz", "/authZ/1");
  return builder.Build();
}

TEST_CASE("C-CHAL-09 notes an authz poll before Retry-After", "[report][rules]") {
  const Finding finding = JudgeOne(AuthzPolledAfter(std::chrono::milliseconds(1000)), "C-CHAL-09");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("C-CHAL-09 passes a poll at Retry-After within the slack", "[report][rules]") {
  const Finding finding = JudgeOne(AuthzPolledAfter(std::chrono::milliseconds(2600)), "C-CHAL-09");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("C-CHAL-09 is not tested without Retry-After on an authz", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-CHAL-09").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace challenge_rules_test
