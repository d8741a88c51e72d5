#include "mockca/jose/key_thumbprint.hpp"

#include <optional>
#include <string_view>

#include <openssl/core_names.h>

#include "common/json.hpp"
#include "common/openssl_holders.hpp"
#include "mockca/jose/base64url.hpp"
#include "mockca/jose/jwk.hpp"

namespace mockca::jose {
namespace {

std::string Base64UrlOf(const unsigned char* bytes, std::size_t size) {
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes), size));
}

// A BIGNUM parameter of key as unpadded big-endian bytes (pad = 0) or padded to pad bytes.
std::optional<std::string> BignumParam(EVP_PKEY* key, const char* name, int pad) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    return std::nullopt;
  }
  common::BignumPtr value(raw);
  std::vector<unsigned char> bytes(static_cast<std::size_t>(pad > 0 ? pad : BN_num_bytes(raw)));
  const int written = pad > 0 ? BN_bn2binpad(raw, bytes.data(), pad) : BN_bn2bin(raw, bytes.data());
  if (written < 0) {
    return std::nullopt;
  }
  return Base64UrlOf(bytes.data(), bytes.size());
}

// The required public members of key's JWK (RFC 7638 §3.2), or nullopt for a key no JWS may use.
std::optional<nlohmann::json> PublicJwk(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: {
      auto n = BignumParam(key, OSSL_PKEY_PARAM_RSA_N, 0);
      auto e = BignumParam(key, OSSL_PKEY_PARAM_RSA_E, 0);
      if (!n || !e) {
        return std::nullopt;
      }
      return nlohmann::json{{"kty", "RSA"}, {"n", *n}, {"e", *e}};
    }
    case EVP_PKEY_EC: {
      char group[64] = {};
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                         nullptr) != 1) {
        return std::nullopt;
      }
      const std::string name(group);
      const auto [crv, size] = name == "prime256v1"  ? std::pair("P-256", 32)
                               : name == "secp384r1" ? std::pair("P-384", 48)
                               : name == "secp521r1" ? std::pair("P-521", 66)
                                                     : std::pair("", 0);
      auto x = BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X, size);
      auto y = BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, size);
      if (size == 0 || !x || !y) {
        return std::nullopt;
      }
      return nlohmann::json{{"kty", "EC"}, {"crv", crv}, {"x", *x}, {"y", *y}};
    }
    case EVP_PKEY_ED25519: {
      unsigned char raw[32];
      std::size_t size = sizeof(raw);
      if (EVP_PKEY_get_raw_public_key(key, raw, &size) != 1) {
        return std::nullopt;
      }
      return nlohmann::json{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", Base64UrlOf(raw, size)}};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

std::string KeyThumbprint(EVP_PKEY* key) {
  const auto jwk = key ? PublicJwk(key) : std::nullopt;
  if (!jwk) {
    return {};
  }
  // Straight from the members: rebuilding an EVP_PKEY through ParseJwk only to hash its JWK cost
  // a finalize about 6 % of mockca's CPU per flow (bench/README.md "Profile").
  return JwkThumbprint(*jwk);
}

}  // namespace mockca::jose
