#pragma once

#include <string>
#include <vector>

#include <openssl/evp.h>

#include "common/openssl_holders.hpp"

namespace mockca::ca::testing {

// What a test CSR says. The builder signs it with key (the subject key) unless signer is set, and
// puts public_key_override in the subject public key info when set (to build CSRs whose key is
// weak or does not match the signature).
struct CsrSpec {
  EVP_PKEY* key = nullptr;
  std::string common_name;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;  // textual
  std::vector<std::string> uris;
  bool must_staple = false;
  bool duplicate_san_extension = false;
  // Also requests keyUsage keyCertSign and basicConstraints CA:TRUE (which a CA must not copy).
  bool request_ca_extensions = false;
  const EVP_MD* digest = EVP_sha256();  // nullptr for Ed25519
  EVP_PKEY* public_key_override = nullptr;
};

// The DER PKCS#10 request; aborts (failing the test run) on an OpenSSL error.
std::string BuildCsrDer(const CsrSpec& spec);

// A fresh key: "P-256", "P-384", "P-224", "secp256k1", "RSA-1024", "RSA-2048", "Ed25519".
common::EvpPkeyPtr MakeKey(const std::string& kind);

// A public-only RSA key with the modulus of rsa_key and the given public exponent.
common::EvpPkeyPtr RsaKeyWithExponent(EVP_PKEY* rsa_key, unsigned long exponent);

}  // namespace mockca::ca::testing
