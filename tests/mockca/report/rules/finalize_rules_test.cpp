// Client rules B.9 (C-FIN): the csr encoding.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace finalize_rules_test {

namespace {

using namespace record_test;

const std::string kDer("\x30\x03\x02\x01\x00", 5);

TEST_CASE("C-FIN-03 fails a PEM csr, padding, the standard alphabet and non-DER",
          "[report][rules]") {
  RecordBuilder builder;
  builder.Post("finalize", "/finalize-order/1",
               {{"csr",
                 "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE "
                 "REQUEST-----\n"}});
  builder.Post("finalize", "/finalize-order/1", {{"csr", Base64Url(kDer) + "="}});
  builder.Post("finalize", "/finalize-order/1", {{"csr", "MAMCAQA+"}});
  builder.Post("finalize", "/finalize-order/1", {{"csr", Base64Url("not der")}});
  builder.Post("finalize", "/finalize-order/1", {{"csr", Base64Url(kDer + kDer)}});
  builder.Post("finalize", "/finalize-order/1", {{"certificateSigningRequest", "x"}});
  const Finding finding = JudgeOne(builder.Build(), "C-FIN-03");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6});
  CHECK_THAT(finding.summary, Catch::Contains("csr is PEM text"));
}

TEST_CASE("C-FIN-03 passes base64url DER, is not tested without finalize", "[report][rules]") {
  const Finding finding = JudgeOne(ConformingFlow().Build(), "C-FIN-03");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence == std::vector<std::uint64_t>{8});
  RecordBuilder none;
  none.Get("directory", "/dir");
  CHECK(JudgeOne(none.Build(), "C-FIN-03").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace finalize_rules_test
