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

// Generates a hierarchy, as Pebble does at every start:
//  - root "CN=Anvil mockca root <name_suffix>": self-signed, basicConstraints critical CA:TRUE,
//    keyUsage critical keyCertSign+cRLSign, subjectKeyIdentifier;
//  - intermediate "CN=Anvil mockca intermediate <name_suffix>", signed by the root:
//  basicConstraints
//    critical CA:TRUE pathlen:0, the same keyUsage, authorityKeyIdentifier and
//    subjectKeyIdentifier.
// Both are valid from now - 1 h for 30 years, have random serials drawn from rng (so the same
// seed gives the same serials), and are signed with SHA-256 (ECDSA or RSA PKCS#1 v1.5).
// Errors: an OpenSSL failure, as text.
common::Result<Hierarchy, std::string> GenerateHierarchy(KeyAlgorithm algorithm, common::Rng& rng,
                                                         TimePoint now, std::string name_suffix);

}  // namespace mockca::ca
