#pragma once

#include <chrono>
#include <string>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"
#include "mockca/ca/certificate_fields.hpp"

namespace mockca::ca {

// The key type of a generated root, intermediate or test key.
enum class KeyAlgorithm { kEcdsaP256, kRsa2048 };

// One issuing hierarchy: a self-signed root and an intermediate it signed, with their keys. The
// leaf issuer takes the intermediate key and certificate explicitly, so several hierarchies
// (Pebble's alternate chains, S-CERT-03) or a longer chain can be built from these parts. A
// Hierarchy is a plain value owning its OpenSSL objects; it is movable, not copyable, and safe to
// read (not mutate) from several threads.
struct Hierarchy {
  common::EvpPkeyPtr root_key;
  common::X509Ptr root;
  common::EvpPkeyPtr intermediate_key;
  common::X509Ptr intermediate;
};

// A fresh key of the given algorithm. The key material comes from OpenSSL's DRBG, not from an Rng
// (OpenSSL key generation cannot be driven by our seed). Aborts only if OpenSSL cannot generate
// keys at all, as Pebble panics on RNG failure.
common::EvpPkeyPtr GenerateKey(KeyAlgorithm algorithm);

// The CA certificate names, shaped like Pebble's ("Pebble Root CA 1a2b3c", pebble.md §2.8) with
// our own prefix so nobody mistakes a mockca root for a Pebble one:
//   root                     "Anvil mockca Root CA <suffix>"
//   leaf-issuing intermediate "Anvil mockca Intermediate CA <suffix>"
//   extra intermediate #i    "Anvil mockca Intermediate CA #<i> <suffix>" (chain_length > 1)
inline constexpr char kRootNamePrefix[] = "Anvil mockca Root CA ";
inline constexpr char kIntermediateNamePrefix[] = "Anvil mockca Intermediate CA ";

// Mints one CA certificate "CN=<common_name>" for subject_key, signed by issuer_key under issuer
// (issuer nullptr: self-signed, and issuer_key must be subject_key): basicConstraints as given in
// openssl.cnf syntax (e.g. "critical,CA:TRUE,pathlen:0"), keyUsage critical keyCertSign+cRLSign,
// subjectKeyIdentifier (the key's hash, so one key always gets the same SKID) and, unless
// self-signed, authorityKeyIdentifier. Valid from now - 1 h for 30 years, with a random serial from
// rng, signed with SHA-256. Errors: an OpenSSL failure, as text.
common::Result<common::X509Ptr, std::string> MintCaCertificate(const std::string& common_name,
                                                               EVP_PKEY* subject_key,
                                                               EVP_PKEY* issuer_key, X509* issuer,
                                                               common::Rng& rng, TimePoint now,
                                                               const char* basic_constraints);

// Generates a hierarchy, as Pebble does at every start:
//  - root kRootNamePrefix + name_suffix: self-signed, basicConstraints critical CA:TRUE;
//  - intermediate kIntermediateNamePrefix + name_suffix, signed by the root: basicConstraints
//    critical CA:TRUE pathlen:0, authorityKeyIdentifier.
// Both as MintCaCertificate makes them (same seed, same serials). Errors: an OpenSSL failure.
common::Result<Hierarchy, std::string> GenerateHierarchy(KeyAlgorithm algorithm, common::Rng& rng,
                                                         TimePoint now, std::string name_suffix);

// key's private half in the "traditional" PEM form Pebble's management API serves (pebble.md §3):
// "-----BEGIN RSA PRIVATE KEY-----" (PKCS#1) for RSA, "-----BEGIN EC PRIVATE KEY-----" (SEC1) for
// ECDSA. Empty on an OpenSSL failure or a key type without a traditional form.
std::string TraditionalPrivateKeyPem(EVP_PKEY* key);

}  // namespace mockca::ca
