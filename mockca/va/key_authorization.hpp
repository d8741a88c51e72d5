#pragma once

#include <string>

namespace mockca::va {

// RFC 8555 §8.1 (S-CHAL-08): token "." base64url(SHA-256 JWK thumbprint of the account key).
std::string KeyAuthorization(const std::string& token, const std::string& account_thumbprint);

// SHA-256(key authorization), 32 raw octets: what dns-01 (RFC 8555 §8.4) and tls-alpn-01
// (RFC 8737 §3) both check.
std::string KeyAuthorizationDigest(const std::string& key_authorization);

// RFC 8555 §8.4: the TXT value dns-01 expects, base64url(SHA-256(key authorization)).
std::string Dns01TxtValue(const std::string& key_authorization);

}  // namespace mockca::va
