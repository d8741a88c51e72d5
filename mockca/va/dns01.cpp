#include "mockca/va/dns01.hpp"

#include "mockca/va/key_authorization.hpp"

namespace mockca::va {

acme::Status ValidateDns01(const acme::Identifier& identifier, const std::string& key_authorization,
                           mockdns::resolver::Resolver& resolver) {
  if (identifier.type != "dns") {
    return acme::Malformed("dns-01 validates dns identifiers only, not " + identifier.type);
  }
  const std::string name = "_acme-challenge." + identifier.value;
  auto answer = resolver.Lookup(name, mockdns::resolver::QueryType::kTxt);
  if (!answer) {
    return acme::MakeProblem(acme::ProblemType::kDns,
                             "DNS problem: " + answer.error() + " looking up TXT for " + name);
  }
  const std::string expected = Dns01TxtValue(key_authorization);
  for (const auto& value : answer->values) {
    if (value == expected) {
      return {};
    }
  }
  if (answer->values.empty()) {
    return acme::Unauthorized("No TXT record found at " + name);
  }
  return acme::Unauthorized("Incorrect TXT record \"" + answer->values.front() + "\" found at " +
                            name + " (" + std::to_string(answer->values.size()) +
                            " record(s), none equal to \"" + expected + "\")");
}

}  // namespace mockca::va
