// AllRules() and Judge() (mockca/report/rule.hpp): the client rules of conformance.md Part B.
#include <exception>
#include <vector>

#include "mockca/report/rule.hpp"
#include "mockca/report/rules/rule_groups.hpp"

namespace mockca::report {
namespace {

std::vector<Rule> CollectRules() {
  std::vector<Rule> all;
  // conformance.md Part B order: B.1 ... B.13.
  for (auto&& group :
       {rules::HttpRules(), rules::DirectoryRules(), rules::NonceRules(), rules::JwsRules(),
        rules::PagRules(), rules::AccountRules(), rules::KeyChangeRules(), rules::OrderRules(),
        rules::ChallengeRules(), rules::FinalizeRules(), rules::CertificateRules(),
        rules::RateLimitRules(), rules::RevocationRules(), rules::ExtensionRules()}) {
    all.insert(all.end(), group.begin(), group.end());
  }
  return all;
}

}  // namespace

const std::vector<Rule>& AllRules() {
  static const std::vector<Rule> kRules = CollectRules();
  return kRules;
}

Finding JudgeSafely(const Rule& rule, const ClientRecord& client) {
  try {
    return rule.judge(client);
  } catch (const std::exception& error) {
    return Finding{rule.id,
                   Verdict::kNotTested,
                   rule.level,
                   std::string("could not be judged: ") + error.what(),
                   {}};
  }
}

std::vector<Finding> Judge(const ClientRecord& client) {
  std::vector<Finding> findings;
  findings.reserve(AllRules().size());
  for (const Rule& rule : AllRules()) {
    findings.push_back(JudgeSafely(rule, client));
  }
  return findings;
}

}  // namespace mockca::report
