// B.1 Transport and HTTP (C-HTTP): what every request's headers and base64url fields show.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

// A product token with a version, "name/1.2" (RFC 9110 §10.1.5), also "name/v1".
bool HasVersionToken(std::string_view agent) {
  for (std::size_t slash = agent.find('/'); slash != std::string_view::npos;
       slash = agent.find('/', slash + 1)) {
    if (slash == 0 || std::isspace(static_cast<unsigned char>(agent[slash - 1]))) {
      continue;
    }
    std::size_t digit = slash + 1;
    if (digit < agent.size() && (agent[digit] == 'v' || agent[digit] == 'V')) {
      ++digit;
    }
    if (digit < agent.size() && std::isdigit(static_cast<unsigned char>(agent[digit]))) {
      return true;
    }
  }
  return false;
}

// C-HTTP-01 (§6.1): a User-Agent on every request (MUST), naming software and version (SHOULD).
Finding JudgeUserAgent(const ClientRecord& client) {
  FindingBuilder result("C-HTTP-01", "MUST / SHOULD");
  std::vector<std::uint64_t> missing;
  std::map<std::string, std::vector<std::uint64_t>> unversioned;
  for (const Exchange& exchange : client.exchanges) {
    result.Checked(exchange.id);
    const std::string agent = HeaderValue(exchange.request_headers, "User-Agent");
    if (IsBlank(agent)) {
      missing.push_back(exchange.id);
    } else if (!HasVersionToken(agent)) {
      unversioned[agent].push_back(exchange.id);
    }
  }
  if (!missing.empty()) {
    const auto first = std::find_if(client.exchanges.begin(), client.exchanges.end(),
                                    [&](const Exchange& e) { return e.id == missing.front(); });
    result.Fail(std::to_string(missing.size()) + " request(s) without a User-Agent, first " +
                    Describe(*first),
                missing);
  }
  for (const auto& [agent, ids] : unversioned) {
    result.Warn("User-Agent \"" + agent + "\" has no version token (like \"client/1.2\") in " +
                    std::to_string(ids.size()) + " request(s)",
                ids);
  }
  return result.Finish("every request names a versioned User-Agent", "no request recorded");
}

// C-HTTP-02 (§6.1): Accept-Language SHOULD be sent.
Finding JudgeAcceptLanguage(const ClientRecord& client) {
  FindingBuilder result("C-HTTP-02", "SHOULD");
  std::vector<std::uint64_t> missing;
  for (const Exchange& exchange : client.exchanges) {
    result.Checked(exchange.id);
    if (!HasHeader(exchange.request_headers, "Accept-Language")) {
      missing.push_back(exchange.id);
    }
  }
  if (!missing.empty()) {
    result.Warn(std::to_string(missing.size()) + " of " + std::to_string(client.exchanges.size()) +
                    " request(s) carry no Accept-Language, first #" +
                    std::to_string(missing.front()),
                missing);
  }
  return result.Finish("every request carries Accept-Language", "no request recorded");
}

// The base64url strings of a JWS-shaped object (an EAB, a keyChange inner JWS): field → value.
void CollectJwsMembers(const nlohmann::json& object, const std::string& where,
                       std::vector<std::pair<std::string, std::string>>& out) {
  for (const char* member : {"protected", "payload", "signature"}) {
    if (const auto value = StringMember(object, member)) {
      out.emplace_back(where + "." + member, *value);
    }
  }
}

// Every base64url field of a signed POST, by name.
std::vector<std::pair<std::string, std::string>> Base64UrlFields(const Exchange& exchange) {
  const RecordedJws& jws = *exchange.jws;
  std::vector<std::pair<std::string, std::string>> fields = {
      {"protected", jws.protected_b64},
      {"payload", jws.payload_b64},
      {"signature", jws.signature_b64},
  };
  const nlohmann::json* payload = PayloadObject(exchange);
  if (payload == nullptr) {
    return fields;
  }
  for (const char* member : {"csr", "certificate"}) {
    if (const auto value = StringMember(*payload, member)) {
      fields.emplace_back(std::string("payload.") + member, *value);
    }
  }
  if (const auto eab = payload->find("externalAccountBinding");
      eab != payload->end() && eab->is_object()) {
    CollectJwsMembers(*eab, "externalAccountBinding", fields);
  }
  if (exchange.kind == "keyChange") {
    CollectJwsMembers(*payload, "inner JWS", fields);
  }
  return fields;
}

// C-HTTP-06 (§6.1): base64url without padding, URL-safe alphabet.
Finding JudgeBase64Url(const ClientRecord& client) {
  FindingBuilder result("C-HTTP-06", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (!IsSignedPost(exchange)) {
      continue;
    }
    result.Checked(exchange.id);
    for (const auto& [field, value] : Base64UrlFields(exchange)) {
      if (HasPaddingOrStdAlphabet(value)) {
        result.Fail(Describe(exchange) + ": " + field + " holds " + OffendingChars(value) +
                        " (base64url is unpadded and uses '-' '_')",
                    {exchange.id});
      }
    }
  }
  return result.Finish("every base64url field is unpadded and URL-safe", "no signed POST recorded");
}

}  // namespace

std::vector<Rule> HttpRules() {
  return {
      {"C-HTTP-01", "MUST / SHOULD",
       "Every request has a User-Agent naming the ACME software and version.", JudgeUserAgent},
      {"C-HTTP-02", "SHOULD", "Send Accept-Language.", JudgeAcceptLanguage},
      {"C-HTTP-06", "MUST", "base64url fields carry no padding and use the URL-safe alphabet.",
       JudgeBase64Url},
  };
}

}  // namespace mockca::report::rules
