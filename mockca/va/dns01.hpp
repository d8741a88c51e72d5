#pragma once

#include <string>

#include "mockca/acme/problem.hpp"
#include "mockdns/resolver/resolver.hpp"

namespace mockca::va {

// The dns-01 check of RFC 8555 §8.4 (S-CHAL-10): a TXT lookup of _acme-challenge.<value> (an
// authorization's identifier never carries the "*." of a wildcard, S-AUTHZ-02) through resolver,
// passing when any record equals Dns01TxtValue(key_authorization). CNAMEs are followed as far as
// the resolver's answer carries them.
// Returns: ok; `dns` (400) when the lookup fails (SERVFAIL, NXDOMAIN, timeout); `unauthorized`
// (403) when no record matches, naming what was found; `malformed` for a non-dns identifier.
acme::Status ValidateDns01(const acme::Identifier& identifier, const std::string& key_authorization,
                           mockdns::resolver::Resolver& resolver);

}  // namespace mockca::va
