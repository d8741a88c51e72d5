#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/core/status.hpp"

namespace mockca::core {

// The ACME objects of RFC 8555 §7.1 as plain, copyable values (anchors §5). Objects refer to each
// other by ID, never by pointer; the store (mockca/store) owns them and hands out copies. Statuses
// stored here are the last written ones; what a client sees is derived at read time (S-ORD-05).

// An account (RFC 8555 §7.1.2; S-ACCT-*).
//
// The key is kept as its public JWK plus its RFC 7638 thumbprint rather than as a jose::PublicKey:
// core then stays free of OpenSSL (anchors §1: only common, jose and ca include it), copies stay
// cheap and plain, and one key has one thumbprint, so the thumbprint is the identity the store
// indexes on (S-ACCT-12). The WFE parses key_jwk once per key (wfe::AccountKeyCache) to verify.
//
// The account's orders are not listed here: the store keeps that index (MemoryStore::ListOrderIds)
// so that eviction has one place to update and account copies do not grow with every order.
// An account created with an External Account Binding keeps the binding's kid and the binding
// object exactly as the client sent it, to echo (S-EAB-03).
struct Account {
  std::string id;
  AccountStatus status = AccountStatus::kValid;  // S-ACCT-11
  nlohmann::json key_jwk;                        // required public members only (RFC 7638 §3.2)
  std::string key_thumbprint;                    // RFC 7638, base64url
  std::vector<std::string> contacts;             // URIs, as accepted (S-ACCT-05)
  bool terms_agreed = false;                     // echoed as termsOfServiceAgreed (S-ACCT-01)
  TimePoint created;
  std::string eab_kid;  // the verified binding's kid; empty without one (S-EAB-02)
  std::optional<nlohmann::json> external_account_binding;  // as sent, when verified (S-EAB-03)
};

// A challenge (RFC 8555 §7.1.5, §8). Lives inside its Authorization.
struct Challenge {
  std::string id;
  std::string type;   // "http-01", "dns-01" or "tls-alpn-01"
  std::string token;  // base64url, >= 128 bits of entropy (RFC 8555 §8.3)
  ChallengeStatus status = ChallengeStatus::kPending;
  std::optional<TimePoint>
      validated;  // RFC 8555 §8: when the challenge was validated (set on success)
  // Set when the challenge failed (S-AUTHZ-03). Behind a pointer, shared by copies and never
  // changed in place: a Problem is about 170 bytes, and every authorization keeps three challenges
  // that almost never fail.
  std::shared_ptr<const acme::Problem> error;
};

// An authorization (RFC 8555 §7.1.4; S-AUTHZ-*). The stored status is never kExpired: expiry is
// derived from expires (EffectiveAuthzStatus).
struct Authorization {
  std::string id;
  std::string account_id;
  acme::Identifier identifier;  // never contains '*' (S-AUTHZ-02)
  bool wildcard = false;        // S-AUTHZ-01, S-ORD-07
  AuthzStatus status = AuthzStatus::kPending;
  TimePoint expires;
  std::vector<Challenge> challenges;
};

// An order (RFC 8555 §7.1.3; S-ORD-*). It stores no status: ComputeOrderStatus derives it from
// these facts and the authorizations' effective statuses (S-ORD-05).
// Room for extensions: ARI's `replaces` (RFC 9773) will be added here as a plain string.
struct Order {
  std::string id;
  std::string account_id;
  std::vector<acme::Identifier> identifiers;  // never change after creation (S-ORD-04)
  std::vector<std::string> authz_ids;         // never change after creation (S-ORD-04, S-ORD-09)
  TimePoint created;
  TimePoint expires;
  std::optional<std::string> not_before;  // echoed as sent (RFC 3339), S-ORD-01
  std::optional<std::string> not_after;
  // The profile's name (draft-ietf-acme-profiles): as requested, or the default newOrder assigned
  // (S-PROF-03); empty when the CA offers no profiles.
  std::string profile;
  // RFC 9773 §5: the certID of `replaces`, as accepted (wfe::CheckReplaces); echoed (S-ARI-05).
  std::optional<std::string> replaces;
  std::optional<acme::Problem> error;  // set when the order failed (S-ORD-03)
  bool began_processing = false;       // finalize was accepted
  std::string certificate_id;          // empty until issuance finished
};

// A revocation (RFC 8555 §7.6).
struct Revocation {
  int reason = 0;  // RFC 5280 §5.3.1 CRLReason
  TimePoint when;
};

// An issued certificate (RFC 8555 §7.4.2).
struct Certificate {
  std::string id;
  std::string order_id;
  std::string account_id;
  std::string serial_hex;         // lowercase hex of the DER INTEGER's content octets
  std::vector<std::uint8_t> der;  // the leaf (its PEM and chain are made when served)
  TimePoint issued;
  std::optional<Revocation> revoked;
  // ARI (RFC 9773 §5, S-ARI-05). replacing_order_id: the latest order whose newOrder named this
  // certificate in `replaces` (MemoryStore::AddOrder sets it); the claim lapses while that order is
  // invalid or gone. replaced: that order issued, so the certificate is replaced for good.
  std::string replacing_order_id;
  bool replaced = false;
  // Set by the management API's /set-renewal-info/ (pebble.md §3): renewalInfo serves it verbatim,
  // valid JSON or not, instead of the computed window.
  std::optional<std::string> ari_response;
};

// The facts ComputeOrderStatus needs for order, given the effective status of each of its
// authorizations (in any order; see EffectiveAuthzStatus).
OrderFacts FactsFor(const Order& order, const std::vector<AuthzStatus>& effective);

// The effective status of authz at now (EffectiveAuthzStatus of its stored status and expires).
AuthzStatus EffectiveStatus(const Authorization& authz, TimePoint now);

// The challenge of authz with this id, or nullptr. The pointer lives as long as authz is unchanged.
const Challenge* FindChallenge(const Authorization& authz, const std::string& challenge_id);
Challenge* FindChallenge(Authorization& authz, const std::string& challenge_id);

}  // namespace mockca::core
