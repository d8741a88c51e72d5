#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "common/openssl_holders.hpp"
#include "mockca/acme/problem.hpp"

namespace mockca::ca {

// What mockca takes from a finalize CSR (RFC 8555 §7.4). Movable, not copyable.
struct CsrInfo {
  // The names the CSR asks for, each once, in the order they appear: dNSName SANs lowercased (type
  // "dns"), iPAddress SANs in canonical text (type "ip": dotted IPv4, RFC 5952 IPv6), then the
  // subject commonName as a "dns" identifier if it is not already one of them.
  std::vector<acme::Identifier> identifiers;
  // The subject public key (owned; never null in a parsed CsrInfo).
  common::EvpPkeyPtr public_key;
  // The SubjectPublicKeyInfo as encoded: its algorithm (with parameters) and key bits (set by
  // ParseCsr; null and empty in a CsrInfo built by hand). IssueLeaf copies them into the
  // certificate.
  common::X509AlgorPtr key_algorithm;
  std::string key_bits;
  // The subject commonName as written in the CSR; empty when there is none.
  std::string common_name;
  // The CSR requests the TLS feature extension (RFC 7633) with status_request: OCSP Must-Staple.
  bool must_staple = false;
};

// Both functions below are pure and thread-safe.

// Parses a finalize CSR: der is the DER PKCS#10 CertificationRequest (RFC 2986), already decoded
// from the base64url `csr` field by the caller. Checks, in this order, each failing with
// ProblemType::kBadCsr (status 400) and a detail naming the fault:
//  - der is one complete CertificationRequest with no trailing bytes (S-FIN-02);
//  - the signature algorithm is sha256/384/512WithRSAEncryption, ecdsa-with-SHA256/384/512 or
//    Ed25519, with the parameters RFC 4055 / RFC 5758 / RFC 8410 allow (S-FIN-05; SHA-1 is
//    refused);
//  - the key is RSA of 2048..8192 bits with an odd exponent > 1, EC on P-256, P-384 or P-521, or
//    Ed25519 (S-FIN-05);
//  - the self-signature verifies with that key (S-FIN-05);
//  - subjectAltName holds only dNSName and iPAddress entries, and appears at most once; every DNS
//    name (SAN or commonName) is an LDH name of non-empty labels whose only wildcard is a whole
//    leftmost "*" label, and is not an IP literal (S-IP-05); an IP-literal commonName must also be
//    an iPAddress SAN (S-IP-05); at most one commonName;
//  - at least one name remains.
// Other requested extensions are ignored, since nothing else is copied from the CSR (S-FIN-08).
acme::Result<CsrInfo> ParseCsr(std::string_view der);

// RFC 8555 §7.4 and §11.1 at finalize. Fails with ProblemType::kBadCsr (status 400) when:
//  - csr.public_key equals account_key (EVP_PKEY_eq; S-FIN-04);
//  - the set of csr.identifiers differs from the set of order_identifiers (S-FIN-03): "dns" values
//    compare case-insensitively, "ip" values by address, duplicates collapse, type matters. The
//    detail names every missing and extra identifier, and each is also a subproblem carrying its
//    identifier (RFC 8555 §6.7.1).
// account_key may be null (no key check). Pebble answers a name mismatch with unauthorized; we
// follow S-FIN-03's SHOULD (badCSR).
acme::Status CheckCsrAgainstOrder(const CsrInfo& csr,
                                  const std::vector<acme::Identifier>& order_identifiers,
                                  EVP_PKEY* account_key);

}  // namespace mockca::ca
