// B.5 POST-as-GET (C-PAG): how resources are fetched.
#include <set>
#include <string>
#include <vector>

#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

bool IsPlainGet(const Exchange& exchange) {
  return exchange.method == "GET" || exchange.method == "HEAD";
}

// Resources fetched by POST-as-GET (§6.3). "order" also covers the orders list.
bool IsFetchedResource(const std::string& kind) {
  static const std::set<std::string> kKinds = {"account", "order", "authz", "challenge",
                                               "certificate"};
  return kKinds.count(kind) != 0;
}

// C-PAG-01 (§6.3): fetch with POST-as-GET (payload ""), not {} / e30 and not a plain GET.
Finding JudgePostAsGet(const ClientRecord& client) {
  FindingBuilder result("C-PAG-01", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (!IsFetchedResource(exchange.kind)) {
      continue;
    }
    result.Checked(exchange.id);
    if (IsPlainGet(exchange)) {
      result.Fail(Describe(exchange) + ": fetched with a plain " + exchange.method +
                      "; use POST-as-GET (a JWS with payload \"\")",
                  {exchange.id});
      continue;
    }
    // A challenge POST {} answers the challenge (§7.5.1); elsewhere {} is a fetch sent wrong.
    const nlohmann::json* payload = PayloadObject(exchange);
    if (exchange.kind != "challenge" && payload != nullptr && payload->empty()) {
      result.Fail(Describe(exchange) + ": fetched with payload \"" + exchange.jws->payload_b64 +
                      "\" ({}); POST-as-GET sends payload \"\"",
                  {exchange.id});
    }
  }
  return result.Finish("every resource fetch is a POST-as-GET", "no resource fetch recorded");
}

// C-PAG-02 (§6.3; 9773 §4.1): plain GET only for directory, newNonce and renewalInfo.
Finding JudgePlainGet(const ClientRecord& client) {
  FindingBuilder result("C-PAG-02", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (!IsPlainGet(exchange)) {
      continue;
    }
    result.Checked(exchange.id);
    if (exchange.kind != "directory" && exchange.kind != "newNonce" &&
        exchange.kind != "renewalInfo") {
      result.Fail(
          Describe(exchange) + ": a plain GET/HEAD is only for directory, newNonce and renewalInfo",
          {exchange.id});
    }
  }
  return result.Finish("plain GET/HEAD only on directory, newNonce and renewalInfo",
                       "no plain GET/HEAD recorded");
}

}  // namespace

std::vector<Rule> PagRules() {
  return {
      {"C-PAG-01", "MUST",
       "Account, order, authz, challenge, certificate and orders list are fetched with "
       "POST-as-GET, payload \"\".",
       JudgePostAsGet},
      {"C-PAG-02", "MUST", "Plain GET only for directory, newNonce and renewalInfo.",
       JudgePlainGet},
  };
}

}  // namespace mockca::report::rules
