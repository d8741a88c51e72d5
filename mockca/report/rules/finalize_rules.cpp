// B.9 Finalize and CSR (C-FIN): the csr encoding.
#include <string>
#include <vector>

#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// C-FIN-03 (§7.4): csr is base64url DER, not PEM and not standard base64.
Finding JudgeCsrEncoding(const ClientRecord& client) {
  FindingBuilder result("C-FIN-03", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    const nlohmann::json* payload = PayloadObject(exchange);
    if (payload == nullptr || exchange.kind != "finalize") {
      continue;
    }
    result.Checked(exchange.id);
    const auto csr = StringMember(*payload, "csr");
    if (!csr) {
      result.Fail(Describe(exchange) + ": the payload has no csr string", {exchange.id});
      continue;
    }
    const std::string problem = DerFieldProblem(*csr);
    if (!problem.empty()) {
      result.Fail(Describe(exchange) + ": csr " + problem + " (send base64url of the DER CSR)",
                  {exchange.id});
    }
  }
  return result.Finish("every csr is base64url DER", "no finalize sent");
}

}  // namespace

std::vector<Rule> FinalizeRules() {
  return {
      {"C-FIN-03", "MUST", "The csr value is base64url DER, not PEM and not standard base64.",
       JudgeCsrEncoding},
  };
}

}  // namespace mockca::report::rules
