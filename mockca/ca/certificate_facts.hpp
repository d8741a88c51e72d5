#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "mockca/acme/problem.hpp"

namespace mockca::ca {

// Lowercase hex of the serial's DER content octets (a 0x00 sign octet included when the top bit is
// set): the store's serial_hex. Empty on failure or for a negative serial.
std::string SerialHex(X509* cert);

// What revokeCert needs from a certificate it is sent (RFC 8555 §7.6). Movable, not copyable.
struct CertificateFacts {
  std::string serial_hex;  // as in IssuedCertificate
  // The subjectAltName entries: "dns" values as written ("*.example.org" for a wildcard), "ip" in
  // canonical text. Other name types are left out.
  std::vector<acme::Identifier> identifiers;
  common::EvpPkeyPtr public_key;  // never null in a parsed CertificateFacts
};

// Parses der, which must be exactly one DER X.509 certificate. Pure and thread-safe. Fails with
// ProblemType::kMalformed (400) when it is not.
acme::Result<CertificateFacts> InspectCertificate(std::string_view der);

}  // namespace mockca::ca
