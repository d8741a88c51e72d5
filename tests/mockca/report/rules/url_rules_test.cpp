// Client rules over the URLs mockca handed out: C-DIR-01 (B.2) and C-ORD-02 (B.7).
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace url_rules_test {

namespace {

using namespace record_test;

TEST_CASE("C-DIR-01 passes a flow that only follows URLs it was given", "[report][rules]") {
  const Finding finding = JudgeOne(ConformingFlow().Build(), "C-DIR-01");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence.size() == 9);  // everything but the directory GET
}

TEST_CASE("C-DIR-01 notes a hand-built URL and ignores the directory and renewalInfo",
          "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("order", "/acme/order/1");  // Boulder-shaped guess
  builder.Get("renewalInfo", "/renewal-info/abc.def");
  builder.Get("directory", "/dir");
  const Finding finding = JudgeOne(builder.Build(), "C-DIR-01");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
  CHECK_THAT(finding.summary, Catch::Contains("https://ca.test/acme/order/1"));
}

TEST_CASE("C-ORD-02 passes polls of the Location and fails an unadvertised order URL",
          "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-ORD-02").verdict == Verdict::kPass);
  RecordBuilder builder = ConformingFlow();
  builder.Post("order", "/my-order/2");
  const Finding finding = JudgeOne(builder.Build(), "C-ORD-02");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-ORD-02 fails a processing order that is never polled", "[report][rules]") {
  RecordBuilder builder;
  Exchange& order = builder.Post("newOrder", "/order-plz", nlohmann::json::object());
  Respond(order, 201, {{"status", "ready"}, {"finalize", "https://ca.test/finalize-order/1"}});
  order.response_headers.emplace_back("Location", "https://ca.test/my-order/1");
  Respond(builder.Post("finalize", "/finalize-order/1", {{"csr", "x"}}), 200,
          {{"status", "processing"}});
  const Finding finding = JudgeOne(builder.Build(), "C-ORD-02");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{2});
  CHECK_THAT(finding.summary, Catch::Contains("never polled again"));
  CHECK(JudgeOne(RecordBuilder().Build(), "C-ORD-02").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace url_rules_test
