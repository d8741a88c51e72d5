#pragma once

#include <string>
#include <vector>

#include "common/json.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/core/objects.hpp"
#include "mockca/store/memory_store.hpp"

namespace mockca::wfe {

// newOrder's `replaces` (RFC 9773 §5, S-ARI-05): which certificate an order replaces.
//
// The protocol, for newOrder:
//  1. when the payload has "replaces", CheckReplaces(payload["replaces"], ...) vets it; a Problem
//     is the newOrder's answer;
//  2. the order echoes the string (Order::replaces, S-ARI-05 "MUST be reflected in the order");
//  3. store.AddOrder(order, authzs, <CheckReplaces' certificate id>) stores the order and claims
//     the certificate atomically, answering 409 alreadyReplaced if a concurrent order claimed it
//     first.
// Nothing is needed at finalize: the store marks the certificate replaced when the claiming order
// gets its certificate (MemoryStore::UpdateOrder), and a claim lapses by itself while the claiming
// order is invalid (failed issuance, failed authorization, expiry) or evicted.
//
// Unlike Pebble, which marks a certificate replaced only once its replacement issued, a pending,
// ready or processing order already holds the claim: RFC 9773 §5 counts any order that is not
// invalid.

// Vets replaces for a newOrder of account for order_identifiers, at now. Checks, in Pebble's order
// (pebble.md §2.5), returning the first failure:
//  1. replaces is a string ParseCertId accepts → else 400 malformed;
//  2. its keyIdentifier is one of issuer_key_ids (ca::IssuerKeyIds) → else 400 malformed;
//  3. the store holds a certificate with its serial → else 400 malformed (Pebble: 500
//     serverInternal, its #550; an unknown certificate is the client's mistake);
//  4. the certificate is not replaced (MemoryStore::IsCertificateReplaced) → else 409
//     alreadyReplaced;
//  5. account ordered the certificate → else 403 unauthorized;
//  6. the certificate names at least one of order_identifiers (dns case-insensitively) → else 400
//     malformed (Pebble: 500 serverInternal).
// Returns the certificate's store id, for MemoryStore::AddOrder. Thread-safe; reads the store.
acme::Result<std::string> CheckReplaces(const nlohmann::json& replaces,
                                        const core::Account& account,
                                        const std::vector<acme::Identifier>& order_identifiers,
                                        const store::MemoryStore& store,
                                        const std::vector<std::string>& issuer_key_ids,
                                        core::TimePoint now);

}  // namespace mockca::wfe
