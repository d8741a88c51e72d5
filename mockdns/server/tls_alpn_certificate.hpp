#pragma once

#include <optional>
#include <string>

#include "common/openssl_holders.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"

namespace mockdns::server {

// The ALPN protocol of RFC 8737 and the OID of its acmeIdentifier extension.
inline constexpr char kAcmeTlsAlpnProtocol[] = "acme-tls/1";
inline constexpr char kAcmeIdentifierOid[] = "1.3.6.1.5.5.7.1.31";

// The IP address a reverse-mapping name stands for ("4.3.2.1.in-addr.arpa" -> "1.2.3.4", the
// 32-nibble ip6.arpa form -> IPv6), as RFC 8738 §6 uses for tls-alpn-01 SNI; nullopt otherwise.
std::optional<std::string> ReverseNameToIp(const std::string& name);

// The RFC 8737 §3 validation certificate for server_name: self-signed, a DNS SAN of server_name
// (or an IP SAN when server_name is a reverse-mapping name), and the critical acmeIdentifier
// extension holding SHA-256(key_authorization) as a DER OCTET STRING. Valid for one day around now.
common::Result<common::X509Ptr, std::string> MintTlsAlpnCertificate(
    const std::string& server_name, const std::string& key_authorization, EVP_PKEY* key,
    common::Rng& rng);

}  // namespace mockdns::server
