#include "mockca/report/report_json.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/json.hpp"
#include "mockca/report/report_part_b.hpp"
#include "mockca/report/rule.hpp"

namespace mockca::report::report_json_test {
namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;

const TimePoint kT0{std::chrono::seconds{1795440991}};  // 2026-11-23T13:36:31Z

Exchange MakeExchange(std::uint64_t id, std::string method, std::string kind, int status,
                      milliseconds at) {
  Exchange exchange;
  exchange.id = id;
  exchange.received = kT0 + at;
  exchange.method = std::move(method);
  exchange.kind = kind;
  exchange.url = "https://ca.test/" + kind + "/" + std::to_string(id);
  exchange.status = status;
  return exchange;
}

// A client that sent a directory GET, a badNonce'd newOrder (fault nonce-1) and a retry; its
// exchange 1 was dropped by the recorder.
ClientRecord SampleClient() {
  ClientRecord client;
  client.id = "https://ca.test/acct/7";
  client.account_url = "https://ca.test/acct/7";
  client.user_agent = "lego/4.14";
  client.dropped = 1;
  client.exchanges.push_back(MakeExchange(2, "GET", "directory", 200, milliseconds{0}));
  client.exchanges.push_back(MakeExchange(3, "POST", "newOrder", 400, milliseconds{1250}));
  client.exchanges.back().problem_type = "urn:ietf:params:acme:error:badNonce";
  client.exchanges.back().fault_rules = {"nonce-1"};
  client.exchanges.push_back(MakeExchange(4, "POST", "newOrder", 201, milliseconds{2007}));
  return client;
}

Rule FixedRule(std::string id, std::string level, Verdict verdict,
               std::vector<std::uint64_t> evidence = {}) {
  return Rule{id, level, "requirement of " + id, [=](const ClientRecord&) {
                return Finding{id, verdict, level, "summary of " + id, evidence};
              }};
}

// Judged out of order on purpose: the report sorts by verdict, then by conformance.md order.
std::vector<Rule> FakeRules() {
  return {FixedRule("C-HTTP-01", "MUST / SHOULD", Verdict::kPass, {2}),
          FixedRule("C-HTTP-02", "SHOULD", Verdict::kWarn, {3}),
          Rule{"C-DIR-03", "MUST NOT", "never advertised",
               [](const ClientRecord&) -> Finding { throw std::runtime_error("boom"); }},
          FixedRule("C-NONCE-02", "MUST", Verdict::kFail, {3, 1}),
          FixedRule("C-JWS-09", "BP", Verdict::kNote),
          FixedRule("C-ACCT-06a", "MUST", Verdict::kFail, {4}),
          FixedRule("C-ACCT-06b", "MUST", Verdict::kPass, {4}),
          FixedRule("C-ZZZ-01", "BP", Verdict::kNote)};
}

json SampleReport() {
  return ReportJson({SampleClient()}, json{{"faults", json::array()}, {"seed", 42}}, kT0,
                    FakeRules());
}

std::vector<std::string> RuleIds(const json& findings, const std::string& verdict) {
  std::vector<std::string> ids;
  for (const json& finding : findings) {
    if (finding["verdict"] == verdict) {
      ids.push_back(finding["rule"]);
    }
  }
  return ids;
}

TEST_CASE("ReportJson gives the header and each client with its counts", "[report][json]") {
  ClientRecord second;
  second.id = "anonymous:curl/8";
  second.user_agent = "curl/8";
  const json faults = {
      {"faults", json::array({{{"id", "unfired"}}, {{"id", "nonce-1"}, {"fault", "badNonce"}}})},
      {"seed", 42}};
  const json report = ReportJson({SampleClient(), second}, faults, kT0, FakeRules());

  CHECK(report["generated"] == "2026-11-23T13:36:31Z");
  CHECK(report["spec"] == "conformance.md Part B");
  CHECK(report["faults"] == faults);
  REQUIRE(report["clients"].size() == 2);
  const json& client = report["clients"][0];
  CHECK(client["id"] == "https://ca.test/acct/7");
  CHECK(client["accountUrl"] == "https://ca.test/acct/7");
  CHECK(client["userAgent"] == "lego/4.14");
  CHECK(client["exchanges"] == 3);
  CHECK(client["dropped"] == 1);
  CHECK(client["activeFaults"] == json::array({{{"id", "nonce-1"}, {"fault", "badNonce"}}}));
  CHECK(report["clients"][1]["id"] == "anonymous:curl/8");
  CHECK(report["clients"][1]["accountUrl"] == "");
  CHECK(report["clients"][1]["exchanges"] == 0);
}

TEST_CASE("ReportJson orders findings FAIL, WARN, NOTE, PASS, NOT-TESTED, then by spec order",
          "[report][json]") {
  const json findings = SampleReport()["clients"][0]["findings"];
  // Every Part B item once: C-ACCT-06 by its two sub-rules, plus the unknown C-ZZZ-01.
  REQUIRE(findings.size() == PartBItems().size() + 2);

  CHECK(RuleIds(findings, "FAIL") == std::vector<std::string>{"C-NONCE-02", "C-ACCT-06a"});
  CHECK(RuleIds(findings, "WARN") == std::vector<std::string>{"C-HTTP-02"});
  CHECK(RuleIds(findings, "NOTE") == std::vector<std::string>{"C-JWS-09", "C-ZZZ-01"});
  CHECK(RuleIds(findings, "PASS") == std::vector<std::string>{"C-HTTP-01", "C-ACCT-06b"});
  const std::vector<std::string> untested = RuleIds(findings, "NOT-TESTED");
  REQUIRE(untested.size() == PartBItems().size() - 5);
  CHECK(untested.front() == "C-HTTP-03");
  CHECK(untested.back() == "C-ROB-05");

  std::vector<std::string> in_order;
  for (const json& finding : findings) {
    in_order.push_back(finding["rule"]);
  }
  const std::vector<std::string> head(in_order.begin(), in_order.begin() + 7);
  CHECK(head == std::vector<std::string>{"C-NONCE-02", "C-ACCT-06a", "C-HTTP-02", "C-JWS-09",
                                         "C-ZZZ-01", "C-HTTP-01", "C-ACCT-06b"});
}

TEST_CASE("ReportJson lists unjudged Part B items as NOT-TESTED, not implemented",
          "[report][json]") {
  const json findings = SampleReport()["clients"][0]["findings"];
  for (const json& finding : findings) {
    if (finding["rule"] == "C-NONCE-06") {
      CHECK(finding["verdict"] == "NOT-TESTED");
      CHECK(finding["level"] == "SHOULD NOT");
      CHECK(finding["summary"] == "not implemented");
      CHECK(finding["requirement"] == "No Replay-Nonce header in requests.");
      CHECK(finding["evidence"] == json::array());
    }
    if (finding["rule"] == "C-DIR-03") {  // its judge threw: never a PASS
      CHECK(finding["verdict"] == "NOT-TESTED");
      CHECK(finding["summary"] == "could not be judged: boom");
      CHECK(finding["requirement"] == "never advertised");
    }
    if (finding["rule"] == "C-HTTP-02") {
      CHECK(finding["level"] == "SHOULD");
      CHECK(finding["requirement"] == "requirement of C-HTTP-02");
      CHECK(finding["summary"] == "summary of C-HTTP-02");
    }
  }
}

TEST_CASE("ReportJson counts every verdict in the summary", "[report][json]") {
  const json client = SampleReport()["clients"][0];
  const json expected = {
      {"FAIL", 2}, {"WARN", 1}, {"NOTE", 2}, {"PASS", 2}, {"NOT-TESTED", PartBItems().size() - 5}};
  CHECK(client["summary"] == expected);
}

TEST_CASE("ReportJson evidence names each exchange and keeps the id of a dropped one",
          "[report][json]") {
  const json findings = SampleReport()["clients"][0]["findings"];
  const json& nonce = findings[0];
  REQUIRE(nonce["rule"] == "C-NONCE-02");
  const json expected = json::array(
      {{{"id", 3},
        {"method", "POST"},
        {"url", "https://ca.test/newOrder/3"},
        {"status", 400},
        {"time", "2026-11-23T13:36:32.250Z"}},
       {{"id", 1}, {"method", nullptr}, {"url", nullptr}, {"status", nullptr}, {"time", nullptr}}});
  CHECK(nonce["evidence"] == expected);
}

TEST_CASE("ReportJson timeline holds every exchange in order with its problem and faults",
          "[report][json]") {
  const json timeline = SampleReport()["clients"][0]["timeline"];
  REQUIRE(timeline.size() == 3);
  CHECK(timeline[0]["id"] == 2);
  CHECK(timeline[2]["id"] == 4);
  CHECK(timeline[1] == json{{"id", 3},
                            {"time", "2026-11-23T13:36:32.250Z"},
                            {"method", "POST"},
                            {"url", "https://ca.test/newOrder/3"},
                            {"kind", "newOrder"},
                            {"status", 400},
                            {"brokenDelivery", ""},
                            {"problem", "urn:ietf:params:acme:error:badNonce"},
                            {"key", ""},
                            {"faults", {"nonce-1"}}});
  CHECK(timeline[2]["time"] == "2026-11-23T13:36:33.007Z");
  CHECK(timeline[2]["faults"] == json::array());
}

TEST_CASE("ReportJson is deterministic", "[report][json]") {
  CHECK(SampleReport().dump() == SampleReport().dump());
}

TEST_CASE("ReportJson makes client text valid UTF-8 so the report always dumps", "[report][json]") {
  ClientRecord client = SampleClient();
  client.user_agent = "bad\xff\xfe";
  client.exchanges[0].url = "https://ca.test/\xc3(";
  const json report = ReportJson({client}, json::object(), kT0, FakeRules());
  std::string text;
  REQUIRE_NOTHROW(text = report.dump());
  CHECK(report["clients"][0]["userAgent"] == "bad\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(report["clients"][0]["timeline"][0]["url"] == "https://ca.test/\xEF\xBF\xBD(");
}

TEST_CASE("ValidUtf8 keeps valid text and replaces each invalid sequence", "[report][json]") {
  struct Case {
    std::string in, out;
  };
  const std::string fffd = "\xEF\xBF\xBD";
  const std::vector<Case> cases = {
      {"plain ascii", "plain ascii"},
      {"caf\xC3\xA9 \xE2\x9A\xA1 \xF0\x9F\x94\x92", "caf\xC3\xA9 \xE2\x9A\xA1 \xF0\x9F\x94\x92"},
      {"\x80", fffd},              // stray continuation byte
      {"\xC0\xAF", fffd},          // overlong '/'
      {"\xED\xA0\x80", fffd},      // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", fffd},  // beyond U+10FFFF
      {"a\xE2\x9A", "a" + fffd},   // truncated at the end
      {"\xE2\x9A"
       "b",
       fffd + "b"},  // truncated before ASCII
      {std::string("n\0l", 3), std::string("n\0l", 3)},
  };
  for (const Case& c : cases) {
    CHECK(ValidUtf8(c.in) == c.out);
  }
}

TEST_CASE("ReportFileText is the report pretty-printed with a final newline", "[report][json]") {
  const std::string text = ReportFileText({SampleClient()}, json::object(), kT0);
  REQUIRE(text.ends_with("}\n"));
  CHECK(text.find("\n  \"clients\": [") != std::string::npos);
  const json parsed = json::parse(text);
  CHECK(parsed == ReportJson({SampleClient()}, json::object(), kT0));
}

TEST_CASE("The real rules never say PASS for a client that sent nothing", "[report][json]") {
  ClientRecord empty;
  empty.id = "anonymous:idle";
  const json client = ReportJson({empty}, json::object(), kT0)["clients"][0];
  CHECK(client["summary"]["PASS"] == 0);
  CHECK(client["findings"].size() >= PartBItems().size());
}

}  // namespace
}  // namespace mockca::report::report_json_test
