#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"

namespace mockca::ca {

using TimePoint = std::chrono::system_clock::time_point;

// Building blocks shared by the hierarchy and the leaf issuer. None of them takes ownership of its
// arguments. Not thread-safe on one certificate; distinct certificates may be built concurrently.

// A new X.509 v3 certificate with a random positive serial of 127 bits (the top bit of 16 random
// octets cleared, the next one set, so the DER INTEGER is always 16 octets; CA/B BR §7.1 wants
// at least 64 bits of entropy), validity [not_before, not_after], the given subject public key and
// no names or extensions yet. Errors: not_after before not_before, or an OpenSSL failure, as text.
common::Result<common::X509Ptr, std::string> NewCertificate(common::Rng& rng, EVP_PKEY* public_key,
                                                            TimePoint not_before,
                                                            TimePoint not_after);
// The same with the subject public key copied as encoded (algorithm, parameters and key bits) from
// a SubjectPublicKeyInfo, a CSR's: X509_set_pubkey re-encodes the EVP_PKEY and decodes it again
// through OpenSSL 3's encoders and decoders, which cost about 9 % of mockca's CPU per issuance
// flow (bench/README.md "Profile"). The certificate's in-memory X509_get_pubkey is then empty
// (its DER, once signed, carries the key as usual).
common::Result<common::X509Ptr, std::string> NewCertificate(common::Rng& rng,
                                                            const X509_ALGOR* key_algorithm,
                                                            std::string_view key_bits,
                                                            TimePoint not_before,
                                                            TimePoint not_after);

// Sets the subject to "CN=<common_name>". Returns false on an OpenSSL failure.
bool SetSubjectCommonName(X509* cert, const std::string& common_name);

// Adds an extension written in openssl.cnf syntax (e.g. NID_basic_constraints, "critical,CA:TRUE"),
// with issuer as the issuing certificate for authorityKeyIdentifier (pass cert itself when
// self-signed). Returns false on an OpenSSL failure.
bool AddConfExtension(X509* cert, X509* issuer, int nid, const char* value);

// The digest to sign with for key: SHA-256 for RSA and ECDSA, none for Ed25519 / Ed448 (which
// hash internally, so OpenSSL requires a null digest).
const EVP_MD* SigningDigest(EVP_PKEY* key);

// Signs cert with issuer_key. Errors: an OpenSSL failure, as text.
common::Status<std::string> SignCertificate(X509* cert, EVP_PKEY* issuer_key);

}  // namespace mockca::ca
