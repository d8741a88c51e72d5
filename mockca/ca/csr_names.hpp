#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/x509v3.h>

#include "mockca/acme/problem.hpp"

namespace mockca::ca {

// Name handling shared by ParseCsr and CheckCsrAgainstOrder. No state; thread-safe.

// Why name (already lowercased) is not an acceptable DNS name for a certificate, or nullopt when it
// is: 1..253 octets of LDH labels of 1..63 octets, no label starting or ending with '-', the only
// wildcard a whole leftmost "*" label followed by at least two labels, and not an IP literal
// (S-IP-05).
std::optional<std::string> DnsNameFault(std::string_view name);

// The identifiers of a subjectAltName (dNSName lowercased, iPAddress canonical), each once.
// Errors: ProblemType::kBadCsr for another GeneralName type, an iPAddress that is not 4 or 16
// octets, or a DNS name DnsNameFault refuses.
acme::Result<std::vector<acme::Identifier>> IdentifiersFromSans(const GENERAL_NAMES* names);

// identifier with its value in the form used for comparison: "dns" lowercased, "ip" canonical
// (left unchanged when it is not an IP literal).
acme::Identifier NormalizedIdentifier(const acme::Identifier& identifier);

// "dns:example.com".
std::string IdentifierText(const acme::Identifier& identifier);

}  // namespace mockca::ca
