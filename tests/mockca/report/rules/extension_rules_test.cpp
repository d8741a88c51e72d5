// Client rules B.13 (C-IP, C-ARI, C-PROF).
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace extension_rules_test {

namespace {

using namespace record_test;

nlohmann::json Identifier(const std::string& type, const std::string& value) {
  return {{"type", type}, {"value", value}};
}

TEST_CASE("C-IP-01 fails a non-canonical ip and an IP sent as dns", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("newOrder", "/order-plz", {{"identifiers", {Identifier("ip", "2001:DB8:0:0::1")}}});
  builder.Post("newOrder", "/order-plz", {{"identifiers", {Identifier("dns", "192.0.2.1")}}});
  builder.Post("newOrder", "/order-plz", {{"identifiers", {Identifier("dns", "[2001:db8::1]")}}});
  builder.Post("newOrder", "/order-plz", {{"identifiers", {Identifier("ip", "192.0.2.01")}}});
  const Finding finding = JudgeOne(builder.Build(), "C-IP-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2, 3, 4});
  CHECK_THAT(finding.summary, Catch::Contains("send \"2001:db8::1\""));
}

TEST_CASE("C-IP-01 passes canonical ips, is not tested without identifiers", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("newOrder", "/order-plz",
               {{"identifiers", {Identifier("ip", "2001:db8::1"), Identifier("ip", "192.0.2.1")}}});
  CHECK(JudgeOne(builder.Build(), "C-IP-01").verdict == Verdict::kPass);
  RecordBuilder none;
  none.Get("directory", "/dir");
  CHECK(JudgeOne(none.Build(), "C-IP-01").verdict == Verdict::kNotTested);
}

TEST_CASE("C-ARI-02 fails renewalInfo fetched by POST-as-GET", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("renewalInfo", "/renewal-info/a.b");
  const Finding finding = JudgeOne(builder.Build(), "C-ARI-02");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-ARI-02 passes GET renewalInfo, is not tested without renewalInfo", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Get("renewalInfo", "/renewal-info/a.b");
  CHECK(JudgeOne(builder.Build(), "C-ARI-02").verdict == Verdict::kPass);
  CHECK(JudgeOne(ConformingFlow().Build(), "C-ARI-02").verdict == Verdict::kNotTested);
}

TEST_CASE("C-PROF-01 fails a profile the directory does not advertise", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();  // meta.profiles: classic, shortlived
  builder.Post("newOrder", "/order-plz",
               {{"identifiers", {Identifier("dns", "example.org")}}, {"profile", "tlsserver"}});
  const Finding finding = JudgeOne(builder.Build(), "C-PROF-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
  CHECK_THAT(finding.summary, Catch::Contains("\"tlsserver\""));
}

TEST_CASE("C-PROF-01 fails a profile when the directory has no meta.profiles", "[report][rules]") {
  RecordBuilder builder;
  Respond(builder.Get("directory", "/dir"), 200, {{"newNonce", "https://ca.test/nonce-plz"}});
  builder.Post("newOrder", "/order-plz",
               {{"identifiers", {Identifier("dns", "example.org")}}, {"profile", "classic"}});
  const Finding finding = JudgeOne(builder.Build(), "C-PROF-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK_THAT(finding.summary, Catch::Contains("no meta.profiles"));
}

TEST_CASE("C-PROF-01 passes an advertised profile, is not tested without profile or directory",
          "[report][rules]") {
  const Finding finding = JudgeOne(ConformingFlow().Build(), "C-PROF-01");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence == std::vector<std::uint64_t>{4});
  RecordBuilder no_directory;
  no_directory.Post("newOrder", "/order-plz",
                    {{"identifiers", {Identifier("dns", "example.org")}}, {"profile", "classic"}});
  CHECK(JudgeOne(no_directory.Build(), "C-PROF-01").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace extension_rules_test
