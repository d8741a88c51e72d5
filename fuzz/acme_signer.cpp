#include "fuzz/acme_signer.hpp"

#include <cstdlib>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "mockca/jose/base64url.hpp"

namespace fuzz {
namespace {

using mockca::jose::Base64UrlEncode;

void Check(bool ok) {
  if (!ok) {
    std::abort();  // a fixed key that cannot be used is a broken build, not a finding
  }
}

std::string Coordinate(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  Check(EVP_PKEY_get_bn_param(key, name, &raw) == 1);
  const common::BignumPtr value(raw);
  std::string out(32, '\0');
  Check(BN_bn2binpad(value.get(), reinterpret_cast<unsigned char*>(out.data()), 32) == 32);
  return out;
}

}  // namespace

SigningKey SigningKey::FromPem(std::string_view pem) {
  common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  common::EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  Check(key != nullptr);
  return SigningKey(std::move(key));
}

SigningKey SigningKey::Generate() {
  common::EvpPkeyPtr key(EVP_EC_gen("P-256"));
  Check(key != nullptr);
  return SigningKey(std::move(key));
}

nlohmann::json SigningKey::PublicJwk() const {
  return {{"crv", "P-256"},
          {"kty", "EC"},
          {"x", Base64UrlEncode(Coordinate(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X))},
          {"y", Base64UrlEncode(Coordinate(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y))}};
}

std::string SigningKey::Sign(std::string_view input) const {
  common::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  Check(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1);
  std::size_t size = 0;
  Check(EVP_DigestSign(ctx.get(), nullptr, &size,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
  std::string der(size, '\0');
  Check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &size,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  const common::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(size)));
  Check(sig != nullptr);
  std::string raw(64, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  Check(BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, 32) == 32);
  Check(BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + 32, 32) == 32);
  return raw;
}

std::string_view AccountKeyPem() {
  return "-----BEGIN PRIVATE KEY-----\n"
         "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg00ZMfmIRE9ojpm00\n"
         "Grqm16Da9X1tMZ+TOmgR3o0SezChRANCAAQ6wcoaJvFL4s1++/aY+fhINz3MFVHx\n"
         "iw6sZi72+2BuAaKE+2g1o5gA5w+oOeG/qpMYKG9Zx80XN9CGCrjKenon\n"
         "-----END PRIVATE KEY-----\n";
}

std::string_view RolloverKeyPem() {
  return "-----BEGIN PRIVATE KEY-----\n"
         "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgvJFi9ihKRKUGEfjH\n"
         "Y6i+pXZMAGzgXCkFx1e1IR7iaE6hRANCAARW5iExEOBcx1QDJUdhI03EgI76nkrk\n"
         "FXmu70ksHs9TbL9Y/CEBNZq0mWqIy1ezn+ZcJMVIAxwt8PgAAjhKGnB2\n"
         "-----END PRIVATE KEY-----\n";
}

std::string_view CertificateKeyPem() {
  return "-----BEGIN PRIVATE KEY-----\n"
         "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgK4iP3yxGwa8HWSjH\n"
         "hirEgKjY3ODM65umYFzo8fv/aCqhRANCAAT08glKEQfn4FEAWhxX8wpRt98BXLP6\n"
         "9bDbBMO7CKOu6QHBrpu2NBwaP/sgphL3q9Vpbx0dAjkfGqrdjJM9eGLw\n"
         "-----END PRIVATE KEY-----\n";
}

std::string_view ReadyCsr() {
  // openssl req -new -key <CertificateKeyPem> -subj /CN=ready.fuzz.example
  //   -addext subjectAltName=DNS:ready.fuzz.example -outform DER | base64url
  return "MIIBBzCBrwIBADAdMRswGQYDVQQDDBJyZWFkeS5mdXp6LmV4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBw"
         "NCAAT08glKEQfn4FEAWhxX8wpRt98BXLP69bDbBMO7CKOu6QHBrpu2NBwaP_sgphL3q9Vpbx0dAjkfGqrdjJM9"
         "eGLwoDAwLgYJKoZIhvcNAQkOMSEwHzAdBgNVHREEFjAUghJyZWFkeS5mdXp6LmV4YW1wbGUwCgYIKoZIzj0EAw"
         "IDRwAwRAIgSY_xq5G2lq1XOoAoImZZvuwpJ91QMBHmy5e0fSUOuEsCIA4Ek-qKOkUQ8C_zsY-1jtLNYAG10yjh"
         "DUwqnwAcCbGK";
}

nlohmann::json SignFlattened(const SigningKey& key, std::string_view nonce, std::string_view url,
                             std::string_view kid, std::string_view payload) {
  nlohmann::json header = {{"alg", "ES256"}, {"url", url}};
  if (!nonce.empty()) {
    header["nonce"] = nonce;
  }
  if (kid.empty()) {
    header["jwk"] = key.PublicJwk();
  } else {
    header["kid"] = kid;
  }
  const std::string protected_b64 = Base64UrlEncode(header.dump());
  const std::string payload_b64 = Base64UrlEncode(payload);
  return {{"protected", protected_b64},
          {"payload", payload_b64},
          {"signature", Base64UrlEncode(key.Sign(protected_b64 + "." + payload_b64))}};
}

nlohmann::json MacFlattened(std::string_view mac_key, std::string_view kid, std::string_view url,
                            const nlohmann::json& account_jwk) {
  const nlohmann::json header = {{"alg", "HS256"}, {"kid", kid}, {"url", url}};
  const std::string input =
      Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(account_jwk.dump());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  Check(HMAC(EVP_sha256(), mac_key.data(), static_cast<int>(mac_key.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
             &size) != nullptr);
  return {{"protected", Base64UrlEncode(header.dump())},
          {"payload", Base64UrlEncode(account_jwk.dump())},
          {"signature", Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), size))}};
}

}  // namespace fuzz
