#pragma once

#include <vector>

#include "common/json.hpp"
#include "mockca/acme/problem.hpp"

namespace mockca::wfe {

// An identifier newOrder accepted, in normal form: dns values lowercased, ip values in canonical
// text form (common::CanonicalIp), as sent.
struct ValidatedIdentifier {
  acme::Identifier identifier;  // as the order lists it: a wildcard keeps its "*." (S-ORD-07)
  bool wildcard = false;
};

// The identifier the authorization covers: identifier without the leading "*." (S-AUTHZ-02).
acme::Identifier AuthzIdentifier(const ValidatedIdentifier& validated);

// One {type, value} object of newOrder's `identifiers` (S-ORD-02, S-ORD-07, S-ORD-08, RFC 8738):
//  - not an object, or type/value not strings → malformed;
//  - a type other than "dns" or "ip" → unsupportedIdentifier;
//  - dns, lowercased: an IP literal → malformed (S-IP-05: an address must be requested as type
//    "ip"); otherwise malformed unless it is non-empty, at most 253
//    characters, made of [a-z0-9.-] plus at most one '*' that forms a leading "*." label, with no
//    empty label (so no trailing dot), labels of 1..63 characters that neither start nor end with
//    '-', and '-' in both the 3rd and 4th position only in an "xn--" label with more after it (the
//    A-label prefix; IDNA itself is not checked);
//  - ip: an IP literal in canonical text form (dotted quad, RFC 5952 for IPv6), else malformed
//    (S-IP-01 POL).
// A problem here carries no `identifier`; CheckOrderIdentifiers adds it.
acme::Result<ValidatedIdentifier> CheckIdentifier(const nlohmann::json& item);

// newOrder's whole `identifiers` member: a non-empty array (else malformed), each item checked by
// CheckIdentifier, duplicates after normalization dropped (first one kept, order preserved).
// An item that is not an object with string type and value fails the whole request at once
// (malformed, no subproblems: there is no identifier to name). When other items are refused, the
// result is one problem listing every refused item as a subproblem carrying its identifier as sent
// (S-ERR-03: `identifier` only inside subproblems); the top-level type is the subproblems' type
// when they all share one, else malformed.
acme::Result<std::vector<ValidatedIdentifier>> CheckOrderIdentifiers(
    const nlohmann::json& identifiers);

}  // namespace mockca::wfe
