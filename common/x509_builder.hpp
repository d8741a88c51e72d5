#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/openssl_holders.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"

namespace common {

// An extension to add verbatim: OID in dotted form and the DER of its extnValue contents.
struct RawExtension {
  std::string oid;
  std::vector<unsigned char> der_value;
  bool critical = false;
};

// What a minted certificate says. Validity is [not_before, not_after].
struct CertificateSpec {
  std::string common_name;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;  // textual IPv4 / IPv6
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
  bool is_ca = false;
  std::vector<RawExtension> extensions;
};

// A fresh ECDSA P-256 key. Aborts only if OpenSSL cannot generate keys at all.
EvpPkeyPtr GenerateP256Key();

// Signs spec with key (self-signed: issuer = subject) and a random serial from rng.
// Errors: a bad IP literal or an OpenSSL failure, as text.
Result<X509Ptr, std::string> MintSelfSigned(const CertificateSpec& spec, EVP_PKEY* key, Rng& rng);

// A GeneralNames list of dNSName entries (verbatim) then iPAddress entries (textual IPv4 / IPv6,
// encoded as 4 or 16 octets), in the order given. Errors: a bad IP literal, as text.
Result<GeneralNamesPtr, std::string> MakeSubjectAltNames(
    const std::vector<std::string>& dns_names, const std::vector<std::string>& ip_addresses);

std::string CertificateToPem(X509* cert);
// The PEM block of a certificate's DER encoding: what CertificateToPem gives for it ("" when
// OpenSSL fails to encode).
std::string CertificateDerToPem(const std::vector<std::uint8_t>& der);
std::string PrivateKeyToPem(EVP_PKEY* key);

// A pem_password_cb without a passphrase: an encrypted PEM key fails to load instead of OpenSSL
// asking for its passphrase on the terminal (a test server must not wait on a prompt).
int NoPemPassphrase(char* buffer, int size, int writing, void* user);

// Reads the first certificate / private key of a PEM file (an encrypted key is refused).
Result<X509Ptr, std::string> ReadCertificatePemFile(const std::string& path);
Result<EvpPkeyPtr, std::string> ReadPrivateKeyPemFile(const std::string& path);

}  // namespace common
