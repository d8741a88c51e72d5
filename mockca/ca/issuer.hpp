#pragma once

#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/ca/certificate_fields.hpp"
#include "mockca/ca/csr.hpp"

namespace mockca::ca {

// What a leaf carries beyond the CSR and the order (per profile or per CA).
struct LeafOptions {
  // A profile's promoteCommonName (Pebble >= 2.9): see IssueLeaf.
  bool promote_common_name = false;
  // Pebble's `ocspResponderURL`: when not empty, the leaf's authorityInfoAccess has one OCSP
  // access description with this URI (RFC 5280 §4.2.2.1), as Pebble's leaves do.
  std::string ocsp_responder_url;
};

// Issues the end-entity certificate of a finalized order (RFC 8555 §7.4, S-FIN-08), shaped like
// Pebble's leaf:
//  - subject public key: the SubjectPublicKeyInfo of csr.request copied as encoded (the
//    returned X509's in-memory X509_get0_pubkey is then null: read the key from its DER), or
//    csr.public_key when there is no request; nothing else is taken from the CSR except
//    Must-Staple;
//  - subject: empty (no CN, as in Pebble >= 2.5), unless options.promote_common_name: then
//    CN = the first "dns" identifier, else the first "ip" one, left out when longer than
//    ub-common-name (64, RFC 5280 Appendix A; Let's Encrypt also omits such a CN);
//  - subjectAltName: exactly identifiers ("dns" as dNSName, "ip" as iPAddress), in that order,
//    critical iff the subject is empty (RFC 5280 §4.2.1.6; so does Go's x509, hence Pebble);
//  - keyUsage critical digitalSignature (plus keyEncipherment for an RSA subject key), extKeyUsage
//    serverAuth, basicConstraints critical CA:FALSE, authorityKeyIdentifier from issuer_cert,
//    subjectKeyIdentifier;
//  - the TLS feature status_request (OCSP Must-Staple, RFC 7633) iff csr.must_staple;
//  - authorityInfoAccess OCSP = options.ocsp_responder_url iff it is not empty;
//  - issuer: issuer_cert's subject; validity [not_before, not_after]; a random positive 127-bit
//    serial from rng; signed by issuer_key with SHA-256 (none for an Ed25519 issuer key).
// The issuing key and certificate are explicit so any hierarchy or chain position can issue.
// Thread-safe: it only reads its arguments, and Rng is thread-safe.
// REQUIRES: issuer_key is the private key of issuer_cert, which has a subjectKeyIdentifier;
// identifiers were checked against csr (CheckCsrAgainstOrder). Nothing is retained.
// Errors (as text; the caller maps them to serverInternal): no or unknown identifiers, a bad IP
// value, not_after before not_before, or an OpenSSL failure.
common::Result<common::X509Ptr, std::string> IssueLeaf(
    const CsrInfo& csr, const std::vector<acme::Identifier>& identifiers, EVP_PKEY* issuer_key,
    X509* issuer_cert, TimePoint not_before, TimePoint not_after, common::Rng& rng,
    const LeafOptions& options = {});

// The application/pem-certificate-chain body (RFC 8555 §9.1, S-CERT-02): leaf, then each of
// intermediates in the order given, as RFC 7468 PEM blocks with nothing else in between.
std::string ChainPem(X509* leaf, const std::vector<X509*>& intermediates);

}  // namespace mockca::ca
