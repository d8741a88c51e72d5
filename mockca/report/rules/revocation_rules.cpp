// B.12 Revocation (C-REV): the revokeCert payload.
#include <string>
#include <vector>

#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// RFC 5280 §5.3.1 CRLReason codes RFC 8555 §7.6 allows: 0-6 and 8-10 (7 is unused).
bool IsRevocationReason(const nlohmann::json& reason) {
  if (!reason.is_number_integer()) {
    return false;
  }
  const auto code = reason.get<long long>();
  return (code >= 0 && code <= 6) || (code >= 8 && code <= 10);
}

// C-REV-01 (§7.6): certificate is base64url DER of the leaf only; reason a valid code.
Finding JudgeRevokePayload(const ClientRecord& client) {
  FindingBuilder result("C-REV-01", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    const nlohmann::json* payload = PayloadObject(exchange);
    if (payload == nullptr || exchange.kind != "revokeCert") {
      continue;
    }
    result.Checked(exchange.id);
    const auto certificate = StringMember(*payload, "certificate");
    if (!certificate) {
      result.Fail(Describe(exchange) + ": the payload has no certificate string", {exchange.id});
    } else if (const std::string problem = DerFieldProblem(*certificate); !problem.empty()) {
      result.Fail(Describe(exchange) + ": certificate " + problem +
                      " (send base64url of the leaf's DER only)",
                  {exchange.id});
    }
    if (payload->contains("reason") && !IsRevocationReason((*payload)["reason"])) {
      result.Fail(Describe(exchange) + ": reason " + (*payload)["reason"].dump() +
                      " is not a revocation reason code (0-6, 8-10)",
                  {exchange.id});
    }
  }
  return result.Finish("every revokeCert sends one base64url DER certificate and a valid reason",
                       "no revokeCert sent");
}

}  // namespace

std::vector<Rule> RevocationRules() {
  return {
      {"C-REV-01", "MUST",
       "certificate is base64url DER of the leaf only; reason, if sent, is 0-6 or 8-10.",
       JudgeRevokePayload},
  };
}

}  // namespace mockca::report::rules
