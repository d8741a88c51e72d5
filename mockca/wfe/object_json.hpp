#pragma once

#include <string>

#include "common/json.hpp"
#include "mockca/core/objects.hpp"
#include "mockca/core/status.hpp"

namespace mockca::wfe {

// The wire form of the ACME objects (RFC 8555 §7.1), one renderer each, shared by every handler
// that returns them. Times are RFC 3339 UTC (common/rfc3339.hpp); URLs start with base_url.

// {type, value}.
nlohmann::json IdentifierJson(const acme::Identifier& identifier);

// S-CHAL-01: {type, url, status, token, validated (once set), error (once failed)}.
nlohmann::json ChallengeJson(const core::Challenge& challenge, const std::string& base_url);

// S-AUTHZ-01/02/04: {identifier, status (effective at now), expires, challenges, wildcard (only
// when true)}. Once the authorization left pending, only the challenges that are valid or carry an
// error are listed (as Pebble; RFC 8555 §7.5.1 lets the others go).
nlohmann::json AuthorizationJson(const core::Authorization& authz, core::TimePoint now,
                                 const std::string& base_url);

// S-ORD-03: {status, expires, identifiers, authorizations, finalize, certificate (when valid),
// error (when failed), notBefore/notAfter (echoed when sent), profile (when set, S-PROF-03)}.
// status is the derived status (MemoryStore::OrderStatusOf).
nlohmann::json OrderJson(const core::Order& order, core::OrderStatus status,
                         const std::string& base_url);

}  // namespace mockca::wfe
