// B.8 Challenges as the VA saw them (C-CHAL-03 .. -06): rules over the VA probe log.
#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

constexpr std::string_view kUnauthorized = "urn:ietf:params:acme:error:unauthorized";
constexpr std::string_view kConnection = "urn:ietf:params:acme:error:connection";
constexpr std::string_view kTls = "urn:ietf:params:acme:error:tls";
// A failValidation fault fires when the attempt is submitted: within this of the probe's start.
constexpr std::chrono::seconds kInjectionWindow{2};

// What one probe says about the client's provisioning, by the problems mockca's own VA gives
// (mockca/va: http01.cpp, dns01.cpp, tls_alpn01.cpp).
enum class ProbeOutcome {
  kValid,
  kInjected,  // a failValidation fault decided it: says nothing about the client
  kNothing,   // nothing was there: no listener, a non-200 status, no TXT record
  kWrong,     // something was there, but not the key authorization (or its digest)
  kOther,     // e.g. the name does not resolve: the test set-up, not the client
};

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

bool Injected(const ClientRecord& client, const ProbeRecord& probe) {
  return std::any_of(
      client.fault_events.begin(), client.fault_events.end(), [&](const FaultEvent& fault) {
        const auto gap =
            fault.time > probe.started ? fault.time - probe.started : probe.started - fault.time;
        return fault.fault == "failValidation" && fault.where == probe.challenge_type &&
               gap <= kInjectionWindow;
      });
}

ProbeOutcome OutcomeOf(const ClientRecord& client, const ProbeRecord& probe) {
  if (probe.valid) {
    return ProbeOutcome::kValid;
  }
  if (Injected(client, probe)) {
    return ProbeOutcome::kInjected;
  }
  const std::string& detail = probe.detail;
  if (probe.problem_type == kUnauthorized) {
    if (Contains(detail, "did not match this challenge") ||
        Contains(detail, "Incorrect TXT record") ||
        Contains(detail, "Incorrect validation certificate")) {
      return ProbeOutcome::kWrong;
    }
    if (Contains(detail, "Invalid response from") || Contains(detail, "No TXT record found")) {
      return ProbeOutcome::kNothing;
    }
  }
  if (probe.problem_type == kConnection ||
      (probe.problem_type == kTls && probe.challenge_type == "tls-alpn-01")) {
    return ProbeOutcome::kNothing;
  }
  return ProbeOutcome::kOther;
}

// The client's last challenge answer (a signed POST with a payload) before the probe started: the
// request that set the VA off. nullptr when the recorder no longer has it.
const Exchange* AnswerBefore(const ClientRecord& client, const ProbeRecord& probe) {
  const Exchange* answer = nullptr;
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.received > probe.started) {
      break;
    }
    if (exchange.kind == "challenge" && IsSignedPost(exchange) &&
        !exchange.jws->payload_b64.empty()) {
      answer = &exchange;
    }
  }
  return answer;
}

std::vector<std::uint64_t> EvidenceOf(const Exchange* answer) {
  return answer != nullptr ? std::vector<std::uint64_t>{answer->id} : std::vector<std::uint64_t>{};
}

std::string ProbeText(const ProbeRecord& probe) {
  return "the VA's " + probe.challenge_type + " probe of " + probe.target + " (" + probe.detail +
         ")";
}

// C-CHAL-03 (§8.2): answered only once provisioned. A probe that found nothing is a WARN.
Finding JudgeAnsweredEarly(const ClientRecord& client) {
  FindingBuilder result("C-CHAL-03", "SHOULD NOT");
  for (const ProbeRecord& probe : client.probes) {
    const ProbeOutcome outcome = OutcomeOf(client, probe);
    const Exchange* answer = AnswerBefore(client, probe);
    if (outcome == ProbeOutcome::kValid || outcome == ProbeOutcome::kWrong) {
      if (answer != nullptr) {
        result.Checked(answer->id);
      }
    } else if (outcome == ProbeOutcome::kNothing) {
      result.Warn((answer != nullptr ? Describe(*answer) : std::string("a challenge answer")) +
                      " came before the resource was there: " + ProbeText(probe) + " found nothing",
                  EvidenceOf(answer));
    }
  }
  return result.Finish("every challenge was answered with its resource in place",
                       "no VA probe recorded (or only injected failures)");
}

// C-CHAL-04/-05/-06: a probe of challenge_type that found the wrong content is a FAIL.
Finding JudgeContent(const ClientRecord& client, const char* rule, const char* challenge_type,
                     const char* what) {
  FindingBuilder result(rule, "MUST");
  for (const ProbeRecord& probe : client.probes) {
    if (probe.challenge_type != challenge_type) {
      continue;
    }
    const ProbeOutcome outcome = OutcomeOf(client, probe);
    const Exchange* answer = AnswerBefore(client, probe);
    if (outcome == ProbeOutcome::kValid && answer != nullptr) {
      result.Checked(answer->id);
    } else if (outcome == ProbeOutcome::kWrong) {
      result.Fail(ProbeText(probe) + " found something other than " + what, EvidenceOf(answer));
    }
  }
  return result.Finish(std::string("every ") + challenge_type + " probe found " + what,
                       std::string("no ") + challenge_type + " probe recorded");
}

}  // namespace

std::vector<Rule> ProbeRules() {
  return {
      {"C-CHAL-03", "SHOULD NOT", "A challenge is answered only once its resource is provisioned.",
       JudgeAnsweredEarly},
      {"C-CHAL-04", "MUST",
       "http-01 serves the keyAuthz at /.well-known/acme-challenge/<token> over plain HTTP until "
       "the challenge is final.",
       [](const ClientRecord& client) {
         return JudgeContent(client, "C-CHAL-04", "http-01", "the key authorization");
       }},
      {"C-CHAL-05", "MUST",
       "dns-01 TXT at _acme-challenge.<base> = base64url(SHA-256(keyAuthz)); for d and *.d both "
       "values coexist.",
       [](const ClientRecord& client) {
         return JudgeContent(client, "C-CHAL-05", "dns-01", "the key authorization's digest");
       }},
      {"C-CHAL-06", "MUST",
       "tls-alpn-01: a self-signed certificate with one dNSName SAN and a critical acmeIdentifier "
       "holding SHA-256(keyAuthz), for ALPN acme-tls/1.",
       [](const ClientRecord& client) {
         return JudgeContent(client, "C-CHAL-06", "tls-alpn-01", "a valid acme-tls/1 certificate");
       }},
  };
}

}  // namespace mockca::report::rules
