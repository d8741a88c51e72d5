#include "mockca/ca/csr_names.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include "common/ascii.hpp"
#include "common/ip_literal.hpp"

namespace mockca::ca {
namespace {

constexpr std::size_t kMaxDnsName = 253;  // RFC 1035 §2.3.4, without the root label
constexpr std::size_t kMaxLabel = 63;

// RFC 5280 §4.2.1.6 GeneralName choices, by their GEN_* tag.
constexpr std::array<const char*, 9> kGeneralNameTypes = {"otherName",
                                                          "rfc822Name",
                                                          "dNSName",
                                                          "x400Address",
                                                          "directoryName",
                                                          "ediPartyName",
                                                          "uniformResourceIdentifier",
                                                          "iPAddress",
                                                          "registeredID"};

acme::Problem BadCsrName(std::string detail) {
  return acme::MakeProblem(acme::ProblemType::kBadCsr, std::move(detail));
}

bool IsLdh(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// Why one label (not the wildcard) is not LDH, or nullopt.
std::optional<std::string> LabelFault(std::string_view label) {
  if (label.empty()) {
    return "has an empty label";
  }
  if (label.size() > kMaxLabel) {
    return "has a label longer than 63 octets";
  }
  if (label.find('*') != std::string_view::npos) {
    return "has a wildcard other than a whole leftmost \"*\" label";
  }
  if (!std::all_of(label.begin(), label.end(), IsLdh)) {
    return "has a character other than a-z, 0-9, '-' and '.' (IDNs must be A-labels)";
  }
  if (label.front() == '-' || label.back() == '-') {
    return "has a label starting or ending with '-'";
  }
  return std::nullopt;
}

void AddOnce(std::vector<acme::Identifier>& identifiers, acme::Identifier identifier) {
  if (std::find(identifiers.begin(), identifiers.end(), identifier) == identifiers.end()) {
    identifiers.push_back(std::move(identifier));
  }
}

acme::Result<acme::Identifier> IpFromOctets(const ASN1_OCTET_STRING* octets) {
  const int length = ASN1_STRING_length(octets);
  const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
  if (family == 0) {
    return BadCsrName("CSR has an iPAddress SAN of " + std::to_string(length) +
                      " octets (RFC 5280 §4.2.1.6: 4 for IPv4, 16 for IPv6)");
  }
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, ASN1_STRING_get0_data(octets), text, sizeof text);
  return acme::Identifier{"ip", text};
}

acme::Result<acme::Identifier> DnsFromIa5(const ASN1_IA5STRING* ia5) {
  const std::string_view raw(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ia5)),
                             static_cast<std::size_t>(ASN1_STRING_length(ia5)));
  std::string name = common::AsciiLower(std::string(raw));
  if (auto fault = DnsNameFault(name)) {
    return BadCsrName("CSR dNSName SAN \"" + name + "\" " + *fault);
  }
  return acme::Identifier{"dns", std::move(name)};
}

}  // namespace

std::optional<std::string> DnsNameFault(std::string_view name) {
  if (name.empty()) {
    return "is empty";
  }
  if (name.size() > kMaxDnsName) {
    return "is longer than 253 octets";
  }
  // S-IP-05: an IP address belongs in an iPAddress SAN, never in a DNS name.
  if (common::CanonicalIp(name)) {
    return "is an IP address (RFC 8738: use an iPAddress SAN)";
  }
  std::size_t start = 0;
  std::size_t labels = 0;
  bool wildcard = false;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (labels == 0 && label == "*") {
      wildcard = true;
    } else if (auto fault = LabelFault(label)) {
      return fault;
    }
    ++labels;
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  if (wildcard && labels < 3) {
    return "is a wildcard directly under a top-level domain";
  }
  return std::nullopt;
}

acme::Result<std::vector<acme::Identifier>> IdentifiersFromSans(const GENERAL_NAMES* names) {
  std::vector<acme::Identifier> identifiers;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    int type = 0;
    void* value = GENERAL_NAME_get0_value(name, &type);
    acme::Result<acme::Identifier> identifier = acme::Identifier{};
    if (type == GEN_DNS) {
      identifier = DnsFromIa5(static_cast<const ASN1_IA5STRING*>(value));
    } else if (type == GEN_IPADD) {
      identifier = IpFromOctets(static_cast<const ASN1_OCTET_STRING*>(value));
    } else {
      const bool known = type >= 0 && type < static_cast<int>(kGeneralNameTypes.size());
      return BadCsrName(std::string("CSR has a subjectAltName of type ") +
                        (known ? kGeneralNameTypes[static_cast<std::size_t>(type)] : "unknown") +
                        "; only dNSName and iPAddress are accepted");
    }
    if (!identifier) {
      return identifier.error();
    }
    AddOnce(identifiers, std::move(identifier).value());
  }
  return identifiers;
}

acme::Identifier NormalizedIdentifier(const acme::Identifier& identifier) {
  if (identifier.type == "dns") {
    return {identifier.type, common::AsciiLower(identifier.value)};
  }
  if (identifier.type == "ip") {
    if (auto canonical = common::CanonicalIp(identifier.value)) {
      return {identifier.type, *canonical};
    }
  }
  return identifier;
}

std::string IdentifierText(const acme::Identifier& identifier) {
  return identifier.type + ":" + identifier.value;
}

}  // namespace mockca::ca
