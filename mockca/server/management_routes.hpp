#pragma once

#include "http/message.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/store/memory_store.hpp"

namespace mockca::server {

// What the management listener reads. Both must outlive every request it serves.
struct ManagementSources {
  const ca::CertificateAuthority& authority;
  const store::MemoryStore& store;
};

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
// Anything else → 404 with an empty body. (/set-renewal-info/ belongs to ARI and is not served.)
// Thread-safe: it only reads the authority and the store.
http::Response ServeManagement(const http::Request& request, const ManagementSources& sources);

}  // namespace mockca::server
