// Client rules B.8 over the VA probe log (C-CHAL-03 .. -06): what the VA found when it probed.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace probe_rules_test {

namespace {

using namespace record_test;
using mockca::report::FaultEvent;
using mockca::report::ProbeRecord;

// A client that answered challenge /chalZ/1 (exchange 1), then was probed once (1 ms after the
// answer was received) with this outcome.
ClientRecord ProbedOnce(const std::string& type, bool valid, const std::string& problem = "",
                        const std::string& detail = "") {
  RecordBuilder builder;
  builder.Post("challenge", "/chalZ/1", nlohmann::json::object());
  ClientRecord client = builder.Build();
  ProbeRecord probe;
  probe.started = client.exchanges.front().received + std::chrono::milliseconds(1);
  probe.challenge_type = type;
  probe.identifier = "a.example";
  probe.target = type == "dns-01" ? "TXT _acme-challenge.a.example" : "a.example";
  probe.valid = valid;
  probe.problem_type = problem.empty() ? "" : "urn:ietf:params:acme:error:" + problem;
  probe.detail = detail;
  client.probes.push_back(probe);
  return client;
}

TEST_CASE("C-CHAL-03 warns when the VA found nothing at answer time", "[report][rules]") {
  for (const ClientRecord& client :
       {ProbedOnce("http-01", false, "unauthorized",
                   "Invalid response from http://a.example:80/.well-known/acme-challenge/t: "
                   "status 404"),
        ProbedOnce("dns-01", false, "unauthorized",
                   "No TXT record found at _acme-challenge.a.example"),
        ProbedOnce("tls-alpn-01", false, "connection", "connection refused")}) {
    const Finding finding = JudgeOne(client, "C-CHAL-03");
    CHECK(finding.verdict == Verdict::kWarn);
    CHECK(finding.evidence == std::vector<std::uint64_t>{1});
    CHECK_THAT(finding.summary, Catch::Contains("found nothing"));
  }
}

TEST_CASE("C-CHAL-03 passes a valid probe and ignores injected failures", "[report][rules]") {
  const Finding valid = JudgeOne(ProbedOnce("http-01", true), "C-CHAL-03");
  CHECK(valid.verdict == Verdict::kPass);
  CHECK(valid.evidence == std::vector<std::uint64_t>{1});

  ClientRecord injected = ProbedOnce("http-01", false, "unauthorized",
                                     "Invalid response from http://a.example/: status 404");
  injected.fault_events.push_back(
      FaultEvent{injected.probes[0].started, "f", "failValidation", "http-01", "http-01 a"});
  CHECK(JudgeOne(injected, "C-CHAL-03").verdict == Verdict::kNotTested);
  CHECK(JudgeOne(RecordBuilder().Build(), "C-CHAL-03").verdict == Verdict::kNotTested);
}

TEST_CASE("C-CHAL-04 -05 -06 fail wrong content of their challenge type only", "[report][rules]") {
  const ClientRecord http = ProbedOnce(
      "http-01", false, "unauthorized",
      "The key authorization file from the server did not match this challenge. Expected");
  CHECK(JudgeOne(http, "C-CHAL-04").verdict == Verdict::kFail);
  CHECK(JudgeOne(http, "C-CHAL-04").evidence == std::vector<std::uint64_t>{1});
  CHECK(JudgeOne(http, "C-CHAL-05").verdict == Verdict::kNotTested);
  CHECK(JudgeOne(http, "C-CHAL-03").verdict == Verdict::kPass);  // something was there

  const ClientRecord dns = ProbedOnce("dns-01", false, "unauthorized",
                                      "Incorrect TXT record \"x\" found at _acme-challenge.a");
  CHECK(JudgeOne(dns, "C-CHAL-05").verdict == Verdict::kFail);
  const ClientRecord alpn =
      ProbedOnce("tls-alpn-01", false, "unauthorized",
                 "Incorrect validation certificate for tls-alpn-01 challenge at a: missing "
                 "critical acmeIdentifier extension");
  CHECK(JudgeOne(alpn, "C-CHAL-06").verdict == Verdict::kFail);

  CHECK(JudgeOne(ProbedOnce("dns-01", true), "C-CHAL-05").verdict == Verdict::kPass);
  // A name that does not resolve is the set-up's doing, not the client's.
  const ClientRecord unresolved =
      ProbedOnce("http-01", false, "dns", "DNS problem: NXDOMAIN looking up A for a.example");
  CHECK(JudgeOne(unresolved, "C-CHAL-04").verdict == Verdict::kNotTested);
  CHECK(JudgeOne(unresolved, "C-CHAL-03").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace probe_rules_test
