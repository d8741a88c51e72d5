// B.13 Extensions: IP identifiers (C-IP, RFC 8738), ARI (C-ARI, RFC 9773), profiles (C-PROF).
#include <string>
#include <vector>

#include "common/ip_literal.hpp"
#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// An IP written as a DNS name: a literal, or a bracketed IPv6 literal.
bool LooksLikeIp(const std::string& value) {
  if (value.size() > 2 && value.front() == '[' && value.back() == ']') {
    return common::IsIpLiteral(value.substr(1, value.size() - 2), common::IpFamily::kV6);
  }
  return common::IsIpLiteral(value);
}

// C-IP-01 (8738 §3): ip identifiers in canonical text form; never an IP as a dns identifier.
Finding JudgeIpIdentifiers(const ClientRecord& client) {
  FindingBuilder result("C-IP-01", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    const nlohmann::json* payload = PayloadObject(exchange);
    if (payload == nullptr || exchange.kind != "newOrder" || !payload->contains("identifiers") ||
        !(*payload)["identifiers"].is_array()) {
      continue;
    }
    for (const nlohmann::json& identifier : (*payload)["identifiers"]) {
      const auto type = StringMember(identifier, "type");
      const auto value = StringMember(identifier, "value");
      if (!type || !value || (*type != "ip" && *type != "dns")) {
        continue;
      }
      result.Checked(exchange.id);
      if (*type == "dns" && LooksLikeIp(*value)) {
        result.Fail(Describe(exchange) + ": \"" + *value +
                        "\" is an IP address sent as a dns identifier (use type ip)",
                    {exchange.id});
      } else if (*type == "ip") {
        const auto canonical = common::CanonicalIp(*value);
        if (!canonical) {
          result.Fail(Describe(exchange) + ": ip identifier \"" + *value +
                          "\" is not an IP address in text form",
                      {exchange.id});
        } else if (*canonical != *value) {
          result.Fail(Describe(exchange) + ": ip identifier \"" + *value +
                          "\" is not canonical (send \"" + *canonical + "\")",
                      {exchange.id});
        }
      }
    }
  }
  return result.Finish("ip identifiers are canonical and no IP is sent as dns",
                       "no dns or ip identifier sent");
}

// C-ARI-02 (9773 §4.1, §6): renewalInfo is fetched with an unauthenticated GET.
Finding JudgeRenewalInfoMethod(const ClientRecord& client) {
  FindingBuilder result("C-ARI-02", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.kind != "renewalInfo") {
      continue;
    }
    result.Checked(exchange.id);
    if (exchange.method == "POST") {
      result.Fail(Describe(exchange) + ": renewalInfo fetched by POST; use a plain GET",
                  {exchange.id});
    }
  }
  return result.Finish("renewalInfo fetched with plain GET", "no renewalInfo request recorded");
}

// The directory as served last before exchanges[before], else the first served after; null
// when the records hold none.
nlohmann::json DirectoryAsServed(const ClientRecord& client, std::size_t before) {
  nlohmann::json directory;
  for (std::size_t i = 0; i < client.exchanges.size(); ++i) {
    const Exchange& exchange = client.exchanges[i];
    if (exchange.kind != "directory" || exchange.status != 200) {
      continue;
    }
    nlohmann::json body = ResponseJson(exchange);
    if (!body.is_object()) {
      continue;
    }
    directory = std::move(body);
    if (i >= before) {
      break;
    }
  }
  return directory;
}

// C-PROF-01 (PROF §4): only advertised profile names; none without meta.profiles.
Finding JudgeProfile(const ClientRecord& client) {
  FindingBuilder result("C-PROF-01", "MUST NOT / SHOULD NOT");
  for (std::size_t i = 0; i < client.exchanges.size(); ++i) {
    const Exchange& exchange = client.exchanges[i];
    const nlohmann::json* payload = PayloadObject(exchange);
    if (payload == nullptr || exchange.kind != "newOrder" || !payload->contains("profile")) {
      continue;
    }
    const nlohmann::json directory = DirectoryAsServed(client, i);
    if (directory.is_null()) {
      continue;  // the directory fetch is not in this client's records: cannot judge
    }
    result.Checked(exchange.id);
    const nlohmann::json& profile = (*payload)["profile"];
    nlohmann::json profiles;
    if (const auto meta = directory.find("meta"); meta != directory.end() && meta->is_object()) {
      profiles = meta->value("profiles", nlohmann::json());
    }
    if (!profiles.is_object()) {
      result.Fail(Describe(exchange) + ": sends profile " + profile.dump() +
                      " but the directory advertises no meta.profiles",
                  {exchange.id});
    } else if (!profile.is_string() || !profiles.contains(profile.get<std::string>())) {
      result.Fail(Describe(exchange) + ": profile " + profile.dump() +
                      " is not among the directory's meta.profiles",
                  {exchange.id});
    }
  }
  return result.Finish("every requested profile is advertised in meta.profiles",
                       "no newOrder with a profile (and a recorded directory)");
}

}  // namespace

std::vector<Rule> ExtensionRules() {
  return {
      {"C-IP-01", "MUST",
       "Type ip with the canonical text form; an IP is never sent as a dns identifier.",
       JudgeIpIdentifiers},
      {"C-ARI-02", "MUST", "renewalInfo is fetched with an unauthenticated GET.",
       JudgeRenewalInfoMethod},
      {"C-PROF-01", "MUST NOT / SHOULD NOT",
       "Only advertised profile names are requested; no profile without meta.profiles.",
       JudgeProfile},
  };
}

}  // namespace mockca::report::rules
