#include "mockca/wfe/identifier_policy.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "common/ascii.hpp"
#include "common/ip_literal.hpp"

namespace mockca::wfe {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameLength = 253;  // RFC 1035 §2.3.4, without the trailing dot
constexpr std::size_t kMaxLabelLength = 63;
constexpr std::string_view kWildcardPrefix = "*.";
constexpr std::string_view kALabelPrefix = "xn--";

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// One label of a lowercased name: LDH, 1..63 characters, no leading or trailing '-', and the
// reserved "??--" form only as an A-label prefix (RFC 5890 §2.3.1). Empty when fine, else why not.
std::string LabelProblem(std::string_view label) {
  if (label.empty()) {
    return "has an empty label";
  }
  if (label.size() > kMaxLabelLength) {
    return "has a label longer than 63 characters";
  }
  if (label.front() == '-' || label.back() == '-') {
    return "has a label that starts or ends with '-'";
  }
  if (label.size() >= 4 && label.substr(2, 2) == "--" &&
      (!label.starts_with(kALabelPrefix) || label.size() == kALabelPrefix.size())) {
    return "has a label with '--' in the 3rd and 4th position that is not an A-label";
  }
  return {};
}

acme::Result<ValidatedIdentifier> CheckDnsName(std::string value) {
  value = common::AsciiLower(std::move(value));
  const bool wildcard = value.starts_with(kWildcardPrefix);
  const std::string_view base = std::string_view(value).substr(wildcard ? 2 : 0);
  const auto refuse = [&value](const std::string& why) {
    return acme::Malformed("dns identifier \"" + value + "\" " + why);
  };
  if (value.empty()) {
    return acme::Malformed("dns identifier is empty");
  }
  if (common::IsIpLiteral(base)) {  // S-ORD-08, S-IP-05
    return acme::Malformed("dns identifier \"" + value +
                           "\" is an IP address: request it with type \"ip\" (RFC 8738)");
  }
  if (value.size() > kMaxNameLength) {
    return refuse("is longer than 253 characters");
  }
  if (base.find('*') != std::string_view::npos) {
    return refuse("may only have '*' as its whole first label (S-ORD-07)");
  }
  if (!std::all_of(base.begin(), base.end(), IsNameChar)) {
    return refuse("may only contain a-z, 0-9, '-' and '.' (IDNs as A-labels)");
  }
  if (base.ends_with('.')) {
    return refuse("must not end with a dot");
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = base.find('.', start);
    const std::string why = LabelProblem(base.substr(start, dot - start));
    if (!why.empty()) {
      return refuse(why);
    }
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return ValidatedIdentifier{{"dns", value}, wildcard};
}

acme::Result<ValidatedIdentifier> CheckIpAddress(const std::string& value) {
  const auto canonical = common::CanonicalIp(value);
  if (!canonical) {
    return acme::Malformed("ip identifier \"" + value + "\" is not an IP address (RFC 8738)");
  }
  if (*canonical != value) {  // S-IP-01 POL: the client must send the canonical text form
    return acme::Malformed("ip identifier \"" + value + "\" is not in canonical form: send \"" +
                           *canonical + "\" (RFC 8738 §3, RFC 5952)");
  }
  return ValidatedIdentifier{{"ip", value}, false};
}

bool IsIdentifierObject(const json& item) {
  if (!item.is_object()) {
    return false;
  }
  const auto type = item.find("type");
  const auto value = item.find("value");
  return type != item.end() && type->is_string() && value != item.end() && value->is_string();
}

// The top-level problem for refused identifiers (S-ORD-02, S-ERR-03).
acme::Problem Combined(std::vector<acme::Problem> subproblems) {
  const acme::ProblemType type = subproblems.front().type;
  const bool same = std::all_of(subproblems.begin(), subproblems.end(),
                                [type](const acme::Problem& p) { return p.type == type; });
  std::string detail = subproblems.size() == 1 ? subproblems.front().detail
                                               : std::to_string(subproblems.size()) +
                                                     " identifiers were refused; see subproblems";
  acme::Problem problem =
      acme::MakeProblem(same ? type : acme::ProblemType::kMalformed, std::move(detail));
  problem.subproblems = std::move(subproblems);
  return problem;
}

}  // namespace

acme::Identifier AuthzIdentifier(const ValidatedIdentifier& validated) {
  acme::Identifier identifier = validated.identifier;
  if (validated.wildcard) {
    identifier.value.erase(0, kWildcardPrefix.size());
  }
  return identifier;
}

acme::Result<ValidatedIdentifier> CheckIdentifier(const json& item) {
  if (!IsIdentifierObject(item)) {
    return acme::Malformed("each identifier must be an object with string \"type\" and \"value\"");
  }
  const std::string& type = item["type"].get_ref<const std::string&>();
  const std::string& value = item["value"].get_ref<const std::string&>();
  if (type == "dns") {
    return CheckDnsName(value);
  }
  if (type == "ip") {
    return CheckIpAddress(value);
  }
  return acme::MakeProblem(acme::ProblemType::kUnsupportedIdentifier,
                           "identifier type \"" + type +
                               "\" is not supported: only \"dns\" and "
                               "\"ip\" are");
}

acme::Result<std::vector<ValidatedIdentifier>> CheckOrderIdentifiers(const json& identifiers) {
  if (!identifiers.is_array() || identifiers.empty()) {
    return acme::Malformed("\"identifiers\" must be a non-empty array");
  }
  std::vector<ValidatedIdentifier> accepted;
  std::vector<acme::Problem> refused;
  for (const json& item : identifiers) {
    if (!IsIdentifierObject(item)) {
      return CheckIdentifier(item).error();
    }
    auto checked = CheckIdentifier(item);
    if (!checked) {
      acme::Problem problem = checked.error();
      problem.identifier =
          acme::Identifier{item["type"].get<std::string>(), item["value"].get<std::string>()};
      refused.push_back(std::move(problem));
      continue;
    }
    const bool duplicate =
        std::any_of(accepted.begin(), accepted.end(), [&checked](const ValidatedIdentifier& seen) {
          return seen.identifier == checked->identifier;
        });
    if (!duplicate) {
      accepted.push_back(std::move(checked).value());
    }
  }
  if (!refused.empty()) {
    return Combined(std::move(refused));
  }
  return accepted;
}

}  // namespace mockca::wfe
