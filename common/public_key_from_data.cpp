#include "common/public_key_from_data.hpp"

#include <cstdlib>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace common {
namespace {

EvpPkeyPtr FromData(const char* type, OSSL_PARAM_BLD* builder) {
  OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    return nullptr;
  }
  return EvpPkeyPtr(key);
}

}  // namespace

EvpPkeyPtr RsaPublicKeyFromData(const BIGNUM* n, const BIGNUM* e) {
  OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder) {
    std::abort();  // allocation failure
  }
  // Refused, besides allocation failure, for a negative number.
  if (OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e) != 1) {
    return nullptr;
  }
  return FromData("RSA", builder.get());
}

EvpPkeyPtr EcPublicKeyFromData(const char* group, std::string_view point) {
  OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    std::abort();  // allocation failure
  }
  return FromData("EC", builder.get());
}

}  // namespace common
