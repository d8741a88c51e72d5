#pragma once

#include <string>
#include <vector>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mockca/acme/problem.hpp"

namespace mockca::ca::testing {

// OpenSSL's verdict (X509_V_OK on success) on leaf, with root as the only trust anchor and
// intermediates as untrusted certificates, for purpose (X509_PURPOSE_*) at the current time plus
// one minute (test_pki.cpp says why).
int VerifyChain(X509* leaf, const std::vector<X509*>& intermediates, X509* root,
                int purpose = X509_PURPOSE_SSL_SERVER);

// The subjectAltName entries of cert as identifiers ("dns" / "ip" text), in order; "other" for
// any other type.
std::vector<acme::Identifier> SubjectAltNames(X509* cert);

// The serial number as uppercase hex, and whether it is positive.
std::string SerialHex(X509* cert);
bool SerialIsPositive(X509* cert);

// The subject commonName, or empty.
std::string CommonName(X509* cert);

// Whether cert has the extension nid, and whether it is critical.
bool HasExtension(X509* cert, int nid);
bool ExtensionIsCritical(X509* cert, int nid);

}  // namespace mockca::ca::testing
