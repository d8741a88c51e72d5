// Client rules B.5 (C-PAG): POST-as-GET and plain GET.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace pag_rules_test {

namespace {

using namespace record_test;

TEST_CASE("C-PAG-01 fails a plain GET of an order and a HEAD of a certificate", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Respond(builder.Get("order", "/my-order/1"), 405);
  Respond(builder.Head("certificate", "/certZ/1"), 405);
  const Finding finding = JudgeOne(builder.Build(), "C-PAG-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 12});
  CHECK_THAT(finding.summary, Catch::Contains("plain GET"));
}

TEST_CASE("C-PAG-01 fails a fetch with payload {} (e30) but not a challenge answer",
          "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("authz", "/authZ/1", nlohmann::json::object());
  builder.Post("challenge", "/chalZ/1", nlohmann::json::object());
  const Finding finding = JudgeOne(builder.Build(), "C-PAG-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
  CHECK_THAT(finding.summary, Catch::Contains("e30"));
}

TEST_CASE("C-PAG-01 passes POST-as-GET fetches, is not tested without fetches", "[report][rules]") {
  const Finding finding = JudgeOne(ConformingFlow().Build(), "C-PAG-01");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence == std::vector<std::uint64_t>{5, 6, 7, 9, 10});
  RecordBuilder builder;
  builder.Get("directory", "/dir");
  CHECK(JudgeOne(builder.Build(), "C-PAG-01").verdict == Verdict::kNotTested);
}

TEST_CASE("C-PAG-02 fails a GET of newOrder", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Respond(builder.Get("newOrder", "/order-plz"), 405);
  const Finding finding = JudgeOne(builder.Build(), "C-PAG-02");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-PAG-02 passes GET on directory, newNonce and renewalInfo", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Get("newNonce", "/nonce-plz");
  builder.Get("renewalInfo", "/renewal-info/a.b");
  const Finding finding = JudgeOne(builder.Build(), "C-PAG-02");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2, 11, 12});
}

TEST_CASE("C-PAG-02 is not tested without plain GET", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("order", "/my-order/1");
  CHECK(JudgeOne(builder.Build(), "C-PAG-02").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace pag_rules_test
