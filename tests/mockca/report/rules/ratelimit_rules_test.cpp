// Client rules B.11 (C-ERR, C-RL): repeated failures and Retry-After on 429 and 503.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace ratelimit_rules_test {

namespace {

using namespace record_test;

const nlohmann::json kOrderPayload = {
    {"identifiers", {{{"type", "dns"}, {"value", "example.org"}}}}};

TEST_CASE("C-ERR-04 notes a fourth identical failing request within 60 s", "[report][rules]") {
  RecordBuilder builder;
  for (int i = 0; i < 4; ++i) {
    Problem(builder.Post("newOrder", "/order-plz", kOrderPayload), 400, "rejectedIdentifier");
    builder.Advance(std::chrono::seconds(10));
  }
  const Finding finding = JudgeOne(builder.Build(), "C-ERR-04");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2, 3, 4});
  CHECK_THAT(finding.summary, Catch::Contains("4 identical POST newOrder"));
}

TEST_CASE("C-ERR-04 passes spaced-out, changed and badNonce retries", "[report][rules]") {
  RecordBuilder builder;
  for (int i = 0; i < 4; ++i) {
    Problem(builder.Post("newOrder", "/order-plz", kOrderPayload), 503, "serverInternal");
    builder.Advance(std::chrono::seconds(30));  // 4 failures over 93 s: 3 per minute at most
  }
  for (int i = 0; i < 4; ++i) {
    Problem(builder.Post("newOrder", "/order-plz", kOrderPayload), 400, "badNonce");
  }
  for (const char* name : {"a.example", "b.example", "c.example", "d.example"}) {
    Problem(builder.Post("newOrder", "/order-plz",
                         {{"identifiers", {{{"type", "dns"}, {"value", name}}}}}),
            400, "rejectedIdentifier");
  }
  const Finding finding = JudgeOne(builder.Build(), "C-ERR-04");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence.size() == 8);
}

TEST_CASE("C-ERR-04 notes a 5xx the client never retried", "[report][rules]") {
  RecordBuilder builder;
  Problem(builder.Post("newOrder", "/order-plz", kOrderPayload), 503, "serverInternal");
  builder.Post("account", "/my-account/1", nlohmann::json());  // something else, then it gives up
  const Finding finding = JudgeOne(builder.Build(), "C-ERR-04");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1});
  CHECK_THAT(finding.summary, Catch::Contains("never retried"));
}

TEST_CASE("C-ERR-04 is not tested without failures", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-ERR-04").verdict == Verdict::kNotTested);
}

// A newOrder answered status with Retry-After 30, retried `after` later.
ClientRecord RetriedAfter(int status, std::chrono::seconds after) {
  RecordBuilder builder;
  Exchange& limited = builder.Post("newOrder", "/order-plz", kOrderPayload);
  Problem(limited, status, status == 429 ? "rateLimited" : "serverInternal");
  limited.response_headers.emplace_back("Retry-After", "30");
  builder.Advance(after - std::chrono::seconds(1));
  builder.Post("newOrder", "/order-plz", kOrderPayload);
  return builder.Build();
}

TEST_CASE("C-RL-01 notes a retry before the 429's Retry-After", "[report][rules]") {
  const Finding finding = JudgeOne(RetriedAfter(429, std::chrono::seconds(5)), "C-RL-01");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
  CHECK_THAT(finding.summary, Catch::Contains("answered 429 with Retry-After: 30"));
}

TEST_CASE("C-RL-01 passes a retry after Retry-After, is not tested without 429",
          "[report][rules]") {
  CHECK(JudgeOne(RetriedAfter(429, std::chrono::seconds(30)), "C-RL-01").verdict == Verdict::kPass);
  CHECK(JudgeOne(RetriedAfter(503, std::chrono::seconds(5)), "C-RL-01").verdict ==
        Verdict::kNotTested);
}

TEST_CASE("C-RL-02 notes a retry before the 503's Retry-After", "[report][rules]") {
  CHECK(JudgeOne(RetriedAfter(503, std::chrono::seconds(5)), "C-RL-02").verdict == Verdict::kNote);
}

TEST_CASE("C-RL-02 passes a retry after Retry-After, is not tested without 503",
          "[report][rules]") {
  CHECK(JudgeOne(RetriedAfter(503, std::chrono::seconds(31)), "C-RL-02").verdict == Verdict::kPass);
  CHECK(JudgeOne(RetriedAfter(429, std::chrono::seconds(5)), "C-RL-02").verdict ==
        Verdict::kNotTested);
}

}  // namespace

namespace {

// A client that gives up after a 503 has not honoured its Retry-After: nothing to judge.
TEST_CASE("C-RL-02 is not tested when the client never retries after the 503", "[report][rules]") {
  RecordBuilder builder;
  Exchange& busy = builder.Post("newOrder", "/order-plz", kOrderPayload);
  Problem(busy, 503, "serverInternal");
  busy.response_headers.emplace_back("Retry-After", "2");
  const Finding finding = JudgeOne(builder.Build(), "C-RL-02");
  CHECK(finding.verdict == Verdict::kNotTested);
  CHECK_THAT(finding.summary, Catch::Contains("followed by a retry"));
}

}  // namespace

}  // namespace ratelimit_rules_test
