#pragma once

#include <string>

#include <openssl/evp.h>

namespace mockca::jose {

// The RFC 7638 thumbprint of a public key, equal to JwkThumbprint of its JWK (so it can be
// looked up among account keys, S-FIN-04, or compared with a JWS key, S-REV-02). Empty when the key
// cannot be a JWS key (a type or curve ParseJwk refuses); an RSA key outside ParseJwk's sizes still
// has one (no account key can have it). Pure and thread-safe.
std::string KeyThumbprint(EVP_PKEY* key);

}  // namespace mockca::jose
