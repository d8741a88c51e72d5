#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mockca/acme/problem.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/ca/certificate_fields.hpp"

namespace mockca::ca {

// What ARI (RFC 9773) needs from X.509, kept here so that no WFE file includes OpenSSL (anchors
// §1). Pure and thread-safe.

// The keyIdentifier (raw octets) of the subjectKeyIdentifier of every leaf-issuing intermediate of
// authority, without duplicates: the authorityKeyIdentifiers its leaves carry, which a certID must
// name (RFC 9773 §4.1, S-ARI-02). The chains share one intermediate key, so usually one entry.
std::vector<std::string> IssuerKeyIds(const CertificateAuthority& authority);

// A certificate's validity period (RFC 5280 §4.1.2.5).
struct Validity {
  TimePoint not_before;
  TimePoint not_after;
};

// The validity of der, one DER X.509 certificate. Malformed (400) when it is not one. Times outside
// what system_clock holds (1677..2262) saturate to its min() or max().
acme::Result<Validity> CertificateValidity(std::string_view der);

// The serial (SerialHex, the store's serial_hex) of the first CERTIFICATE block of pem (RFC 7468);
// text around it is ignored. Malformed (400) when there is no such block holding an X.509
// certificate.
acme::Result<std::string> SerialHexFromPem(std::string_view pem);

}  // namespace mockca::ca
