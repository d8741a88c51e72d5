// Client rules B.12 (C-REV): the revokeCert payload.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace revocation_rules_test {

namespace {

using namespace record_test;

const std::string kDer("\x30\x03\x02\x01\x00", 5);

TEST_CASE("C-REV-01 fails a PEM certificate, a chain and reason 7", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("revokeCert", "/revoke-cert",
               {{"certificate", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"}});
  builder.Post("revokeCert", "/revoke-cert", {{"certificate", Base64Url(kDer + kDer)}});
  builder.Post("revokeCert", "/revoke-cert", {{"certificate", Base64Url(kDer)}, {"reason", 7}});
  const Finding finding = JudgeOne(builder.Build(), "C-REV-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2, 3});
  CHECK_THAT(finding.summary, Catch::Contains("PEM"));
}

TEST_CASE("C-REV-01 fails a padded certificate and a string reason", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("revokeCert", "/revoke-cert",
               {{"certificate", Base64Url(kDer) + "="}, {"reason", "keyCompromise"}});
  const Finding finding = JudgeOne(builder.Build(), "C-REV-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK_THAT(finding.summary, Catch::Contains("padding") && Catch::Contains("1 more"));
}

TEST_CASE("C-REV-01 passes base64url DER with reason 4, is not tested without revokeCert",
          "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("revokeCert", "/revoke-cert", {{"certificate", Base64Url(kDer)}, {"reason", 4}});
  builder.Post("revokeCert", "/revoke-cert", {{"certificate", Base64Url(kDer)}});
  CHECK(JudgeOne(builder.Build(), "C-REV-01").verdict == Verdict::kPass);
  CHECK(JudgeOne(ConformingFlow().Build(), "C-REV-01").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace revocation_rules_test
