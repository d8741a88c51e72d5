#pragma once

#include "http/message.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/store/memory_store.hpp"

namespace mockca::server {

// What the management listener reads, and writes (/set-renewal-info/). Both must outlive every
// request it serves.
struct ManagementSources {
  const ca::CertificateAuthority& authority;
  store::MemoryStore& store;
};

// The management path that overrides a certificate's renewalInfo (pebble.md §3; RFC 9773).
inline constexpr const char* kSetRenewalInfoPath = "/set-renewal-info/";

// The management listener's handler: Pebble's management interface (pebble.md §3). Every route
// answers any method, carries no Link rel="index", and <n> is a chain index of sources.authority
// (decimal digits; out of range or not an integer → 404 with an empty body, as Pebble):
//  - /roots/<n>: chain n's root as application/pem-certificate-chain, with
//    `Link: <https://Host/roots/<j>>;rel="alternate"` for every other chain j;
//  - /intermediates/<n>: chain n's leaf-issuing intermediate, same content type, no Link;
//  - /root-keys/<n>, /intermediate-keys/<n>: the private key as application/x-pem-file, PKCS#1
//    "RSA PRIVATE KEY" for RSA as Pebble, and SEC1 "EC PRIVATE KEY" for ECDSA, where Pebble
//    answers 404 (we export both on purpose);
//  - /cert-status-by-serial/<hex>: application/json
//    {"Status":"Valid"|"Revoked","Serial":"<lowercase hex, no leading zeros>","Certificate":
//    "<PEM>"} plus, when revoked, "Reason":<CRLReason> and "RevokedAt":"<Go time.String() in
//    UTC, e.g. 2026-11-23 09:12:05.06 +0000 UTC>" (S-REV-05), keys in that order. The serial is
//    case-insensitive hex, leading zeros allowed; anything else (empty, a sign, "0x") → 400 with
//    an empty body. An issued leaf, or any root or intermediate of the CA (Valid, as Pebble keeps
//    them in its store); an unknown serial → 404 with an empty body.
//  - /set-renewal-info/ (exact path): POST {"certificate":"<PEM>","ariResponse":"<any string>"}
//    → 200 with an empty body; from then on renewalInfo for that certificate answers ariResponse
//    verbatim, valid JSON or not (wfe/ari_handlers.hpp). Errors are ACME problem documents, as
//    Pebble's: a body that is not a JSON object or lacks either string, or a "certificate" without
//    a PEM X.509 certificate → 400 malformed; a certificate this CA did not issue → 404
//    malformed; another method → 405 malformed with Allow: POST. Pebble runs this route through
//    its ACME wrapper, so it also demands a User-Agent and hands out a Replay-Nonce; we do
//    neither: this is not an ACME endpoint and a nonce from it would only confuse.
// Anything else → 404 with an empty body.
// Thread-safe: the store is, and the authority is read only.
http::Response ServeManagement(const http::Request& request, const ManagementSources& sources);

}  // namespace mockca::server
