// AllRules() and Judge(): the client rules in conformance.md order, judged safely.
#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "mockca/report/rule.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace registry_test {

namespace {

using namespace record_test;
using mockca::report::AllRules;
using mockca::report::Judge;
using mockca::report::Rule;

// "C-NONCE-03" → its position in conformance.md Part B (area order, then number).
std::pair<int, int> Position(const std::string& id) {
  static const std::vector<std::string> kAreas = {"HTTP", "DIR", "NONCE", "JWS", "PAG",  "ACCT",
                                                  "KEY",  "ORD", "CHAL",  "FIN", "CERT", "ERR",
                                                  "RL",   "REV", "IP",    "ARI", "PROF", "ROB"};
  const std::string area = id.substr(2, id.rfind('-') - 2);
  const auto it = std::find(kAreas.begin(), kAreas.end(), area);
  return {static_cast<int>(it - kAreas.begin()), std::stoi(id.substr(id.rfind('-') + 1))};
}

TEST_CASE("AllRules lists each client rule once, in conformance.md order", "[report][rules]") {
  std::set<std::string> seen;
  std::pair<int, int> previous = {-1, 0};
  for (const Rule& rule : AllRules()) {
    INFO(rule.id);
    CHECK(seen.insert(rule.id).second);
    CHECK(rule.id.rfind("C-", 0) == 0);
    CHECK(Position(rule.id) > previous);
    CHECK(!rule.level.empty());
    CHECK(!rule.requirement.empty());
    CHECK(rule.judge);
    previous = Position(rule.id);
  }
  CHECK(AllRules().size() == 45);
}

TEST_CASE("Judge finds nothing wrong with a conforming issuance", "[report][rules]") {
  const auto findings = Judge(ConformingFlow().Build());
  REQUIRE(findings.size() == AllRules().size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    INFO(findings[i].rule << ": " << findings[i].summary);
    CHECK(findings[i].rule == AllRules()[i].id);
    CHECK(findings[i].level == AllRules()[i].level);
    CHECK((findings[i].verdict == Verdict::kPass || findings[i].verdict == Verdict::kNotTested));
    CHECK(!findings[i].summary.empty());
  }
}

TEST_CASE("Judge of an empty record is NOT-TESTED throughout, never a default PASS",
          "[report][rules]") {
  for (const Finding& finding : Judge(RecordBuilder().Build())) {
    INFO(finding.rule);
    CHECK(finding.verdict == Verdict::kNotTested);
    CHECK(finding.evidence.empty());
  }
}

TEST_CASE("Judge survives hostile JSON shapes in every payload and response", "[report][rules]") {
  RecordBuilder builder;
  for (const char* kind : {"newAccount", "account", "keyChange", "newOrder", "order", "authz",
                           "challenge", "finalize", "revokeCert", "directory"}) {
    Exchange& post = builder.Post(kind, std::string("/") + kind,
                                  {{"identifiers", 1},
                                   {"contact", {{{"a", 1}}}},
                                   {"csr", 5},
                                   {"profile", {1}},
                                   {"protected", 1},
                                   {"externalAccountBinding", "x"},
                                   {"oldKey", 3}});
    post.response_body = R"({"status":5,"finalize":[1],"challenges":{"url":1},"meta":[]})";
    post.jws->protected_header["jwk"] = "not an object";
    post.jws->jwk = "not an object";
  }
  for (const Finding& finding : Judge(builder.Build())) {
    INFO(finding.rule << ": " << finding.summary);
    CHECK_THAT(finding.summary, !Catch::Contains("could not be judged"));
  }
}

}  // namespace

}  // namespace registry_test
