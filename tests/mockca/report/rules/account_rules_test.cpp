// Client rules B.6 (C-ACCT): contacts and account updates.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace account_rules_test {

namespace {

using namespace record_test;

TEST_CASE("C-ACCT-03 fails mailto hfields and several addresses", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("newAccount", "/sign-me-up",
               {{"contact", {"mailto:a@example.org?subject=acme", "tel:+1555"}}});
  builder.Post("account", "/my-account/1", {{"contact", {"MAILTO:a@example.org,b@example.org"}}});
  const Finding finding = JudgeOne(builder.Build(), "C-ACCT-03");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.level == "MUST NOT");
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
  CHECK_THAT(finding.summary, Catch::Contains("hfields"));
}

TEST_CASE("C-ACCT-03 passes single mailto addresses, is not tested without mailto",
          "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-ACCT-03").verdict == Verdict::kPass);
  RecordBuilder builder;
  builder.Post("newAccount", "/sign-me-up", {{"contact", {"tel:+1555"}}});
  CHECK(JudgeOne(builder.Build(), "C-ACCT-03").verdict == Verdict::kNotTested);
}

TEST_CASE("C-ACCT-08 notes an account update with more than contact", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("account", "/my-account/1",
               {{"contact", {"mailto:new@example.org"}}, {"termsOfServiceAgreed", true}});
  const Finding finding = JudgeOne(builder.Build(), "C-ACCT-08");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK_THAT(finding.summary, Catch::Contains("termsOfServiceAgreed"));
}

TEST_CASE("C-ACCT-08 passes contact and status updates, is not tested without updates",
          "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("account", "/my-account/1", {{"contact", {"mailto:new@example.org"}}});
  builder.Post("account", "/my-account/1", {{"status", "deactivated"}});
  CHECK(JudgeOne(builder.Build(), "C-ACCT-08").verdict == Verdict::kPass);
  CHECK(JudgeOne(ConformingFlow().Build(), "C-ACCT-08").verdict == Verdict::kNotTested);
}

TEST_CASE("C-ACCT-09 fails a deactivation with more than the status", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("account", "/my-account/1",
               {{"status", "deactivated"}, {"contact", nlohmann::json::array()}});
  const Finding finding = JudgeOne(builder.Build(), "C-ACCT-09");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-ACCT-09 notes the key used after deactivation (BP)", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("account", "/my-account/1", {{"status", "deactivated"}});
  Problem(builder.Post("newOrder", "/order-plz", {{"identifiers", nlohmann::json::array()}}), 401,
          "unauthorized");
  const Finding finding = JudgeOne(builder.Build(), "C-ACCT-09");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 12});
}

TEST_CASE("C-ACCT-09 passes an exact deactivation, is not tested without one", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("account", "/my-account/1", {{"status", "deactivated"}});
  CHECK(JudgeOne(builder.Build(), "C-ACCT-09").verdict == Verdict::kPass);
  CHECK(JudgeOne(ConformingFlow().Build(), "C-ACCT-09").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace account_rules_test
