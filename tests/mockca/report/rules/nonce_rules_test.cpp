// Client rules B.3 (C-NONCE): the nonce ledger and badNonce retries.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace nonce_rules_test {

namespace {

using namespace record_test;

const nlohmann::json kOrderPayload = {
    {"identifiers", {{{"type", "dns"}, {"value", "example.org"}}}}};

TEST_CASE("C-NONCE-01 passes nonces mockca issued", "[report][rules]") {
  const Finding finding = JudgeOne(ConformingFlow().Build(), "C-NONCE-01");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence.size() == 8);
}

TEST_CASE("C-NONCE-01 fails a nonce mockca never issued", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetProtected(builder.Post("newOrder", "/order-plz", kOrderPayload), "nonce", "made-up-nonce");
  const Finding finding = JudgeOne(builder.Build(), "C-NONCE-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
  CHECK_THAT(finding.summary, Catch::Contains("never issued"));
}

TEST_CASE("C-NONCE-01 fails a JWS without nonce", "[report][rules]") {
  RecordBuilder builder;
  SetProtected(builder.Post("newAccount", "/sign-me-up", nlohmann::json::object()), "nonce",
               nullptr);
  const Finding finding = JudgeOne(builder.Build(), "C-NONCE-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK_THAT(finding.summary, Catch::Contains("no nonce"));
}

TEST_CASE("C-NONCE-01 is not tested without signed POSTs", "[report][rules]") {
  RecordBuilder builder;
  builder.Get("directory", "/dir");
  CHECK(JudgeOne(builder.Build(), "C-NONCE-01").verdict == Verdict::kNotTested);
}

TEST_CASE("C-NONCE-02 fails a nonce used twice, even after a failure", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Problem(builder.Post("newOrder", "/order-plz", kOrderPayload), 500, "serverInternal");
  SetProtected(builder.Post("newOrder", "/order-plz", kOrderPayload), "nonce", "nonce10");
  const Finding finding = JudgeOne(builder.Build(), "C-NONCE-02");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 12});
  CHECK_THAT(finding.summary, Catch::Contains("reused by requests #11, #12"));
}

TEST_CASE("C-NONCE-02 passes single use, is not tested without signed POSTs", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-NONCE-02").verdict == Verdict::kPass);
  CHECK(JudgeOne(RecordBuilder().Build(), "C-NONCE-02").verdict == Verdict::kNotTested);
}

TEST_CASE("C-NONCE-03 passes a retry with the badNonce response's nonce", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Problem(builder.Post("newOrder", "/order-plz", kOrderPayload), 400, "badNonce");  // nonce11
  builder.Post("newOrder", "/order-plz", kOrderPayload);                            // uses nonce11
  const Finding finding = JudgeOne(builder.Build(), "C-NONCE-03");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 12});
}

TEST_CASE("C-NONCE-03 fails a retry with a fresh newNonce nonce", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Problem(builder.Post("newOrder", "/order-plz", kOrderPayload), 400, "badNonce");
  builder.Head("newNonce", "/nonce-plz");                 // nonce12
  builder.Post("newOrder", "/order-plz", kOrderPayload);  // uses nonce12
  const Finding finding = JudgeOne(builder.Build(), "C-NONCE-03");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 13});
  CHECK_THAT(finding.summary, Catch::Contains("not nonce11"));
}

TEST_CASE("C-NONCE-03 warns when badNonce is not retried", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Problem(builder.Post("newOrder", "/order-plz", kOrderPayload), 400, "badNonce");
  const Finding finding = JudgeOne(builder.Build(), "C-NONCE-03");
  CHECK(finding.verdict == Verdict::kWarn);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-NONCE-03 the wrong nonce outweighs a missing retry", "[report][rules]") {
  RecordBuilder builder;
  Problem(builder.Post("newOrder", "/order-plz", kOrderPayload), 400, "badNonce");
  SetProtected(builder.Post("newOrder", "/order-plz", kOrderPayload), "nonce", "other");
  Problem(builder.Post("authz", "/authZ/1"), 400, "badNonce");
  CHECK(JudgeOne(builder.Build(), "C-NONCE-03").verdict == Verdict::kFail);
}

TEST_CASE("C-NONCE-03 is not tested without badNonce", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-NONCE-03").verdict == Verdict::kNotTested);
}

TEST_CASE("C-NONCE-04 notes a newNonce before every POST", "[report][rules]") {
  RecordBuilder builder;
  for (int i = 0; i < 3; ++i) {
    builder.Head("newNonce", "/nonce-plz");
    builder.Post("order", "/my-order/1");
  }
  const Finding finding = JudgeOne(builder.Build(), "C-NONCE-04");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 3, 5});
  CHECK_THAT(finding.summary, Catch::Contains("3 newNonce requests for 3 signed POSTs"));
}

TEST_CASE("C-NONCE-04 passes one newNonce per flow, is not tested without POSTs",
          "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-NONCE-04").verdict == Verdict::kPass);
  RecordBuilder builder;
  builder.Head("newNonce", "/nonce-plz");
  CHECK(JudgeOne(builder.Build(), "C-NONCE-04").verdict == Verdict::kNotTested);
}

TEST_CASE("C-NONCE-06 warns on a Replay-Nonce request header", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetHeader(builder.Post("order", "/my-order/1").request_headers, "Replay-Nonce", "nonce10");
  const Finding finding = JudgeOne(builder.Build(), "C-NONCE-06");
  CHECK(finding.verdict == Verdict::kWarn);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-NONCE-06 passes without it, is not tested without requests", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-NONCE-06").verdict == Verdict::kPass);
  CHECK(JudgeOne(RecordBuilder().Build(), "C-NONCE-06").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace nonce_rules_test
