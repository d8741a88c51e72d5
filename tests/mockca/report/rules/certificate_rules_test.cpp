// Client rules B.10 (C-CERT): the certificate download's Accept header.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace certificate_rules_test {

namespace {

using namespace record_test;

TEST_CASE("C-CERT-01 fails an Accept without the PEM chain type", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetHeader(builder.Post("certificate", "/certZ/1").request_headers, "Accept",
            "application/pkix-cert");
  SetHeader(builder.Post("certificate", "/certZ/1").request_headers, "Accept",
            "application/pem-certificate-chain;q=0, application/json");
  const Finding finding = JudgeOne(builder.Build(), "C-CERT-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 12});
}

TEST_CASE("C-CERT-01 passes no Accept, the PEM chain type and wildcards", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();  // 10: no Accept
  for (const char* accept :
       {"application/pem-certificate-chain", "*/*", "application/json, Application/*;q=0.5"}) {
    SetHeader(builder.Post("certificate", "/certZ/1").request_headers, "Accept", accept);
  }
  const Finding finding = JudgeOne(builder.Build(), "C-CERT-01");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence == std::vector<std::uint64_t>{10, 11, 12, 13});
}

TEST_CASE("C-CERT-01 is not tested without a certificate download", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("order", "/my-order/1");
  CHECK(JudgeOne(builder.Build(), "C-CERT-01").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace certificate_rules_test
