// Client rules B.6 (C-KEY): the keyChange nested JWS.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace keychange_rules_test {

namespace {

using namespace record_test;

constexpr char kKeyChangeUrl[] = "https://ca.test/rollover-account-key";

struct Inner {
  nlohmann::json header = {{"alg", "ES256"}, {"jwk", EcJwk("x2")}, {"url", kKeyChangeUrl}};
  nlohmann::json payload = {{"account", kAccount}, {"oldKey", EcJwk()}};

  nlohmann::json Jws() const {
    return {{"protected", Base64Url(header.dump())},
            {"payload", Base64Url(payload.dump())},
            {"signature", "c2ln"}};
  }
};

// The conforming flow, then one keyChange with inner.
ClientRecord WithKeyChange(const Inner& inner) {
  RecordBuilder builder = ConformingFlow();
  builder.Post("keyChange", "/rollover-account-key", inner.Jws());
  return builder.Build();
}

TEST_CASE("C-KEY-01..04 pass a conforming rollover", "[report][rules]") {
  const ClientRecord record = WithKeyChange(Inner());
  for (const char* id : {"C-KEY-01", "C-KEY-02", "C-KEY-03", "C-KEY-04"}) {
    const Finding finding = JudgeOne(record, id);
    INFO(id << ": " << finding.summary);
    CHECK(finding.verdict == Verdict::kPass);
    CHECK(finding.evidence == std::vector<std::uint64_t>{11});
  }
}

TEST_CASE("C-KEY-01..04 are not tested without keyChange", "[report][rules]") {
  const ClientRecord record = ConformingFlow().Build();
  for (const char* id : {"C-KEY-01", "C-KEY-02", "C-KEY-03", "C-KEY-04"}) {
    CHECK(JudgeOne(record, id).verdict == Verdict::kNotTested);
  }
}

TEST_CASE("C-KEY-01 fails an outer jwk and a payload that is not a JWS", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Exchange& outer = builder.Post("keyChange", "/rollover-account-key", Inner().Jws());
  SetProtected(outer, "kid", nullptr);
  SetProtected(outer, "jwk", EcJwk());
  builder.Post("keyChange", "/rollover-account-key", {{"newKey", EcJwk("x2")}});
  const Finding finding = JudgeOne(builder.Build(), "C-KEY-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 12});
  CHECK_THAT(finding.summary, Catch::Contains("no kid"));
}

TEST_CASE("C-KEY-02 fails an inner kid without jwk", "[report][rules]") {
  Inner inner;
  inner.header.erase("jwk");
  inner.header["kid"] = kAccount;
  const Finding finding = JudgeOne(WithKeyChange(inner), "C-KEY-02");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK_THAT(finding.summary, Catch::Contains("no jwk"));
}

TEST_CASE("C-KEY-03 fails an inner url unlike the outer and an inner nonce", "[report][rules]") {
  Inner inner;
  inner.header["url"] = "https://ca.test/rollover-account-key/";
  inner.header["nonce"] = "nonce10";
  const Finding finding = JudgeOne(WithKeyChange(inner), "C-KEY-03");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK_THAT(finding.summary, Catch::Contains("(and 1 more)"));
}

TEST_CASE("C-KEY-04 fails another account URL and another oldKey", "[report][rules]") {
  Inner wrong_account;
  wrong_account.payload["account"] = "https://ca.test/my-account/2";
  CHECK(JudgeOne(WithKeyChange(wrong_account), "C-KEY-04").verdict == Verdict::kFail);

  Inner wrong_key;
  wrong_key.payload["oldKey"] = EcJwk("x9");
  const Finding finding = JudgeOne(WithKeyChange(wrong_key), "C-KEY-04");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK_THAT(finding.summary, Catch::Contains("oldKey"));
}

TEST_CASE("C-KEY-04 follows the key through an earlier rollover", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("keyChange", "/rollover-account-key", Inner().Jws());  // 11: x1 -> x2, 200
  Inner second;
  second.header["jwk"] = EcJwk("x3");
  second.payload["oldKey"] = EcJwk("x2");
  builder.Post("keyChange", "/rollover-account-key", second.Jws());  // 12: x2 -> x3
  CHECK(JudgeOne(builder.Build(), "C-KEY-04").verdict == Verdict::kPass);

  Inner stale;
  stale.payload["oldKey"] = EcJwk();  // x1, replaced by 11
  RecordBuilder again = ConformingFlow();
  again.Post("keyChange", "/rollover-account-key", Inner().Jws());
  again.Post("keyChange", "/rollover-account-key", stale.Jws());
  const Finding finding = JudgeOne(again.Build(), "C-KEY-04");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{12});
}

}  // namespace

}  // namespace keychange_rules_test
