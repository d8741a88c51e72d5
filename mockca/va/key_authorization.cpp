#include "mockca/va/key_authorization.hpp"

#include <openssl/sha.h>

#include "mockca/jose/base64url.hpp"

namespace mockca::va {

std::string KeyAuthorization(const std::string& token, const std::string& account_thumbprint) {
  return token + "." + account_thumbprint;
}

std::string KeyAuthorizationDigest(const std::string& key_authorization) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key_authorization.data()), key_authorization.size(),
         digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string Dns01TxtValue(const std::string& key_authorization) {
  return jose::Base64UrlEncode(KeyAuthorizationDigest(key_authorization));
}

}  // namespace mockca::va
