// B.10 Certificate download (C-CERT): what the download asks for.
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/ascii.hpp"
#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// The pieces of text between separators.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  for (std::size_t end = text.find(separator); end != std::string_view::npos;
       end = text.find(separator)) {
    pieces.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  pieces.push_back(text);
  return pieces;
}

// Whether an Accept value admits application/pem-certificate-chain (RFC 9110 §12.5.1: the type
// itself, application/* or */*, unless its weight is q=0).
bool AcceptsPemChain(const std::string& accept) {
  const std::string lower = common::AsciiLower(accept);
  for (const std::string_view range : Split(lower, ',')) {
    const std::vector<std::string_view> parts = Split(range, ';');
    const std::string_view type = common::TrimBlanks(parts.front());
    bool refused = false;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      const std::string_view parameter = common::TrimBlanks(parts[i]);
      if (parameter.substr(0, 2) == "q=") {
        refused = std::strtod(std::string(parameter.substr(2)).c_str(), nullptr) <= 0.0;
      }
    }
    if (!refused &&
        (type == "application/pem-certificate-chain" || type == "application/*" || type == "*/*")) {
      return true;
    }
  }
  return false;
}

// C-CERT-01 (§7.4.2): an Accept sent with the certificate download admits the PEM chain.
Finding JudgeCertificateAccept(const ClientRecord& client) {
  FindingBuilder result("C-CERT-01", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.kind != "certificate" || exchange.method != "POST") {
      continue;
    }
    result.Checked(exchange.id);
    if (!HasHeader(exchange.request_headers, "Accept")) {
      continue;
    }
    const std::string accept = HeaderValue(exchange.request_headers, "Accept");
    if (!AcceptsPemChain(accept)) {
      result.Fail(Describe(exchange) + ": Accept \"" + accept +
                      "\" leaves out application/pem-certificate-chain",
                  {exchange.id});
    }
  }
  return result.Finish("certificate downloads accept application/pem-certificate-chain",
                       "no certificate download recorded");
}

}  // namespace

std::vector<Rule> CertificateRules() {
  return {
      {"C-CERT-01", "MUST",
       "Download by POST-as-GET; an Accept header, if sent, includes "
       "application/pem-certificate-chain.",
       JudgeCertificateAccept},
  };
}

}  // namespace mockca::report::rules
