// Client rules B.1 (C-HTTP): User-Agent, Accept-Language, base64url fields.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace http_rules_test {

namespace {

using namespace record_test;

TEST_CASE("C-HTTP-01 passes a versioned User-Agent on every request", "[report][rules]") {
  const Finding finding = JudgeOne(ConformingFlow().Build(), "C-HTTP-01");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.level == "MUST / SHOULD");
  CHECK(finding.evidence.size() == 10);
}

TEST_CASE("C-HTTP-01 fails a HEAD newNonce without User-Agent", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetHeader(builder.Head("newNonce", "/nonce-plz").request_headers, "User-Agent", "");
  const Finding finding = JudgeOne(builder.Build(), "C-HTTP-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
  CHECK_THAT(finding.summary, Catch::Contains("#11 HEAD newNonce"));
}

TEST_CASE("C-HTTP-01 fails an empty User-Agent", "[report][rules]") {
  RecordBuilder builder;
  SetHeader(builder.Get("directory", "/dir").request_headers, "User-Agent", " ");
  CHECK(JudgeOne(builder.Build(), "C-HTTP-01").verdict == Verdict::kFail);
}

TEST_CASE("C-HTTP-01 warns on a User-Agent without a version token", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetHeader(builder.Get("renewalInfo", "/draft-ietf-acme-ari-03/renewalInfo/a.b").request_headers,
            "User-Agent", "acme.sh (https://acme.sh)");
  const Finding finding = JudgeOne(builder.Build(), "C-HTTP-01");
  CHECK(finding.verdict == Verdict::kWarn);
  CHECK_THAT(finding.summary, Catch::Contains("acme.sh"));
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-HTTP-01 a missing User-Agent outweighs an unversioned one", "[report][rules]") {
  RecordBuilder builder;
  SetHeader(builder.Get("directory", "/dir").request_headers, "User-Agent", "client");
  SetHeader(builder.Head("newNonce", "/nonce-plz").request_headers, "User-Agent", "");
  CHECK(JudgeOne(builder.Build(), "C-HTTP-01").verdict == Verdict::kFail);
}

TEST_CASE("C-HTTP-01 is not tested without requests", "[report][rules]") {
  CHECK(JudgeOne(RecordBuilder().Build(), "C-HTTP-01").verdict == Verdict::kNotTested);
}

TEST_CASE("C-HTTP-02 warns when Accept-Language is missing", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetHeader(builder.Post("order", "/my-order/1").request_headers, "Accept-Language", "");
  const Finding finding = JudgeOne(builder.Build(), "C-HTTP-02");
  CHECK(finding.verdict == Verdict::kWarn);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-HTTP-02 passes Accept-Language everywhere, is not tested without requests",
          "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-HTTP-02").verdict == Verdict::kPass);
  CHECK(JudgeOne(RecordBuilder().Build(), "C-HTTP-02").verdict == Verdict::kNotTested);
}

TEST_CASE("C-HTTP-06 fails padding in the JWS payload", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Exchange& post = builder.Post("order", "/my-order/1", nlohmann::json::object());
  post.jws->payload_b64 = "e30=";
  const Finding finding = JudgeOne(builder.Build(), "C-HTTP-06");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK_THAT(finding.summary, Catch::Contains("payload holds '='"));
}

TEST_CASE("C-HTTP-06 fails the standard alphabet in a csr and in an EAB", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("finalize", "/finalize-order/1", {{"csr", "MIIB+/x"}});
  builder.Post("newAccount", "/sign-me-up",
               {{"externalAccountBinding",
                 {{"protected", "eyJ"}, {"payload", "eyJ"}, {"signature", "ab/c"}}}});
  const Finding finding = JudgeOne(builder.Build(), "C-HTTP-06");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
  CHECK_THAT(finding.summary, Catch::Contains("payload.csr holds '+' '/'"));
}

TEST_CASE("C-HTTP-06 fails padding in a keyChange inner JWS", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("keyChange", "/rollover-account-key",
               {{"protected", "eyJ="}, {"payload", "eyJ"}, {"signature", "abc"}});
  const Finding finding = JudgeOne(builder.Build(), "C-HTTP-06");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK_THAT(finding.summary, Catch::Contains("inner JWS.protected"));
}

TEST_CASE("C-HTTP-06 passes unpadded base64url, is not tested without signed POSTs",
          "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-HTTP-06").verdict == Verdict::kPass);
  RecordBuilder builder;
  builder.Get("directory", "/dir");
  CHECK(JudgeOne(builder.Build(), "C-HTTP-06").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace http_rules_test
