#pragma once

#include <string_view>

#include <openssl/bn.h>

#include "common/openssl_holders.hpp"

namespace common {

// Public keys built from their numbers with EVP_PKEY_fromdata, OpenSSL 3's direct route: no
// encoder or decoder is involved (OpenSSL 3.0's DER decoders cost about 100 µs per key). Each
// returns null when OpenSSL refuses the values (a negative RSA number, an EC point not on the
// curve, an unknown group).

// RSA from its modulus and public exponent.
EvpPkeyPtr RsaPublicKeyFromData(const BIGNUM* n, const BIGNUM* e);
// EC on group (an OpenSSL group name, "prime256v1") from an encoded point (SEC 1 §2.3.3).
EvpPkeyPtr EcPublicKeyFromData(const char* group, std::string_view point);

}  // namespace common
