#pragma once

// External Account Bindings for tests (RFC 8555 §7.3.4), MACed with OpenSSL's one-shot HMAC
// independently of mockca/jose/eab, so the tests compare the verifier against a second
// implementation.

#include <array>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/json.hpp"
#include "tests/support/jws_signer.hpp"

namespace support {

// RFC 7518 §3.2 HMAC of input under alg (HS256/HS384/HS512; anything else uses SHA-256).
inline std::string HmacOf(std::string_view alg, std::string_view mac_key, std::string_view input) {
  const EVP_MD* digest = alg == "HS384"   ? EVP_sha384()
                         : alg == "HS512" ? EVP_sha512()
                                          : EVP_sha256();
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  HMAC(digest, mac_key.data(), static_cast<int>(mac_key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(), &size);
  return std::string(reinterpret_cast<const char*>(mac.data()), size);
}

// A flattened JWS {"protected","payload","signature"} of payload under header, MACed with mac_key
// using header["alg"].
inline nlohmann::json MacFlattened(std::string_view mac_key, const nlohmann::json& header,
                                   std::string_view payload) {
  const std::string protected_b64 = Base64Url(header.dump());
  const std::string payload_b64 = Base64Url(payload);
  const std::string mac =
      HmacOf(header.value("alg", "HS256"), mac_key, protected_b64 + "." + payload_b64);
  return {{"protected", protected_b64}, {"payload", payload_b64}, {"signature", Base64Url(mac)}};
}

// The header of a well-formed binding: {"alg","kid","url"}.
inline nlohmann::json EabHeader(std::string_view alg, std::string_view kid, std::string_view url) {
  return {{"alg", alg}, {"kid", kid}, {"url", url}};
}

// The binding a client sends: account_key's public JWK MACed under kid's mac_key (RFC 8555
// §7.3.4's example).
inline nlohmann::json MakeEab(const TestKey& account_key, std::string_view kid,
                              std::string_view mac_key, std::string_view url,
                              std::string_view alg = "HS256") {
  return MacFlattened(mac_key, EabHeader(alg, kid, url), account_key.PublicJwk().dump());
}

}  // namespace support
