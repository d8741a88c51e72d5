// B.8 Authorizations and challenges (C-CHAL): the challenge answer and authz polling.
#include <string>
#include <utility>
#include <vector>

#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// At most 60 characters of text, for a summary.
std::string Clip(const std::string& text) {
  constexpr std::size_t kMax = 60;
  return text.size() <= kMax ? text : text.substr(0, kMax) + "\xE2\x80\xA6";
}

// C-CHAL-02 (§7.5.1): the challenge response body is exactly {}.
Finding JudgeChallengeBody(const ClientRecord& client) {
  FindingBuilder result("C-CHAL-02", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.kind != "challenge" || !IsSignedPost(exchange) ||
        exchange.jws->payload_b64.empty()) {
      continue;  // POST-as-GET fetches the challenge: C-PAG-01
    }
    result.Checked(exchange.id);
    const nlohmann::json& payload = exchange.jws->payload;
    if (payload.is_object() && payload.empty()) {
      continue;
    }
    const std::string sent = payload.is_null() ? "not JSON" : Clip(payload.dump());
    result.Fail(Describe(exchange) + ": the challenge answer is " + sent + ", not {}",
                {exchange.id});
  }
  return result.Finish("every challenge answer is exactly {}", "no challenge answered");
}

// C-CHAL-09 (§7.5.1, §8.2): authz (and challenge) polls honour Retry-After.
Finding JudgeAuthzPolling(const ClientRecord& client) {
  FindingBuilder result("C-CHAL-09", "SHOULD NOT / BP");
  CheckRetryAfter(
      client,
      [](const Exchange& advertised) {
        return (advertised.kind == "authz" || advertised.kind == "challenge") &&
               advertised.status < 400;
      },
      result);
  return result.Finish("authz and challenge polls honour Retry-After",
                       "no authz or challenge answer with Retry-After");
}

}  // namespace

std::vector<Rule> ChallengeRules() {
  std::vector<Rule> rules = {
      {"C-CHAL-02", "MUST", "The challenge response body is exactly {}.", JudgeChallengeBody}};
  for (Rule& rule : ProbeRules()) {  // C-CHAL-03 .. -06
    rules.push_back(std::move(rule));
  }
  rules.push_back({"C-CHAL-09", "SHOULD NOT / BP",
                   "Poll the authz by POST-as-GET and honour Retry-After.", JudgeAuthzPolling});
  return rules;
}

}  // namespace mockca::report::rules
