#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <openssl/x509.h>

#include "mockca/acme/problem.hpp"

namespace mockca::va {

// The certificate checks of tls-alpn-01 (RFC 8737 §3; RFC 8738 §6 for IP identifiers; S-CHAL-11):
// exactly one subjectAltName entry, a dNSName equal to the identifier (case-insensitive) or an
// iPAddress equal to it, and a critical id-pe-acmeIdentifier extension whose value is the DER
// OCTET STRING of SHA-256(key_authorization). Returns ok, or `unauthorized` naming the first
// failed check.
acme::Status CheckTlsAlpnCertificate(X509* leaf, const acme::Identifier& identifier,
                                     const std::string& key_authorization);

// The SNI tls-alpn-01 sends for identifier: the DNS name, or the reverse-mapping name of an IP
// ("1.0.0.127.in-addr.arpa", the nibble form under ip6.arpa; RFC 8738 §6).
std::string TlsAlpnServerName(const acme::Identifier& identifier);

// Connects to address:port (an IP literal), offers ALPN exactly ["acme-tls/1"] with the SNI above,
// requires acme-tls/1 to be negotiated and checks the leaf with CheckTlsAlpnCertificate; closes
// right after the handshake. Certificates are not verified against any root (RFC 8737 §3).
// Returns ok; `connection` when the TCP connection fails or times out; `tls` when the handshake
// fails or another protocol is negotiated; `unauthorized` from the certificate checks.
acme::Status ValidateTlsAlpn01(const acme::Identifier& identifier,
                               const std::string& key_authorization, const std::string& address,
                               std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace mockca::va
