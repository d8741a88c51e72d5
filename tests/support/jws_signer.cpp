#include "tests/support/jws_signer.hpp"

#include <array>
#include <cstdlib>
#include <map>
#include <mutex>
#include <utility>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

namespace support {
namespace {

void Check(bool ok) {
  if (!ok) {
    std::abort();  // a test key that cannot be made or used is a broken environment
  }
}

std::size_t CoordinateSize(KeyKind kind) {
  switch (kind) {
    case KeyKind::kP256:
      return 32;
    case KeyKind::kP384:
      return 48;
    case KeyKind::kP521:
      return 66;
    default:
      return 0;
  }
}

const EVP_MD* DigestFor(std::string_view alg) {
  if (alg == "ES384") {
    return EVP_sha384();
  }
  if (alg == "ES512") {
    return EVP_sha512();
  }
  return EVP_sha256();
}

std::string BignumBytes(const EVP_PKEY* key, const char* param, std::size_t size) {
  BIGNUM* raw = nullptr;
  Check(EVP_PKEY_get_bn_param(key, param, &raw) == 1);
  const common::BignumPtr bn(raw);
  const std::size_t length = size != 0 ? size : static_cast<std::size_t>(BN_num_bytes(bn.get()));
  std::string bytes(length, '\0');
  Check(BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()),
                     static_cast<int>(length)) == static_cast<int>(length));
  return bytes;
}

// DER ECDSA-Sig-Value to the JWS R||S form (RFC 7518 §3.4).
std::string DerToRaw(const std::string& der, std::size_t coordinate_size) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  common::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  Check(sig != nullptr);
  std::string raw(2 * coordinate_size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  const int size = static_cast<int>(coordinate_size);
  Check(BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, size) == size);
  Check(BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + size, size) == size);
  return raw;
}

}  // namespace

TestKey TestKey::Generate(KeyKind kind) {
  EVP_PKEY* key = nullptr;
  switch (kind) {
    case KeyKind::kRsa2048:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048));
      break;
    case KeyKind::kRsa1024:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(1024));
      break;
    case KeyKind::kP256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case KeyKind::kP384:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
      break;
    case KeyKind::kP521:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
      break;
    case KeyKind::kEd25519:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  Check(key != nullptr);
  return TestKey(kind, common::EvpPkeyPtr(key));
}

nlohmann::json TestKey::PublicJwk() const {
  switch (kind_) {
    case KeyKind::kRsa2048:
    case KeyKind::kRsa1024:
      return {{"kty", "RSA"},
              {"n", Base64Url(BignumBytes(key_.get(), OSSL_PKEY_PARAM_RSA_N, 0))},
              {"e", Base64Url(BignumBytes(key_.get(), OSSL_PKEY_PARAM_RSA_E, 0))}};
    case KeyKind::kEd25519: {
      std::string x(32, '\0');
      std::size_t size = x.size();
      Check(EVP_PKEY_get_raw_public_key(key_.get(), reinterpret_cast<unsigned char*>(x.data()),
                                        &size) == 1);
      return {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", Base64Url(x)}};
    }
    default: {
      const std::size_t size = CoordinateSize(kind_);
      const char* crv = kind_ == KeyKind::kP256   ? "P-256"
                        : kind_ == KeyKind::kP384 ? "P-384"
                                                  : "P-521";
      return {{"kty", "EC"},
              {"crv", crv},
              {"x", Base64Url(BignumBytes(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, size))},
              {"y", Base64Url(BignumBytes(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, size))}};
    }
  }
}

std::string TestKey::DefaultAlg() const {
  switch (kind_) {
    case KeyKind::kP256:
      return "ES256";
    case KeyKind::kP384:
      return "ES384";
    case KeyKind::kP521:
      return "ES512";
    case KeyKind::kEd25519:
      return "EdDSA";
    default:
      return "RS256";
  }
}

std::string TestKey::Sign(std::string_view alg, std::string_view input) const {
  const EVP_MD* digest = kind_ == KeyKind::kEd25519 ? nullptr : DigestFor(alg);
  common::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  Check(ctx && EVP_DigestSignInit(ctx.get(), nullptr, digest, nullptr, key_.get()) == 1);
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  std::size_t size = 0;
  Check(EVP_DigestSign(ctx.get(), nullptr, &size, data, input.size()) == 1);
  std::string signature(size, '\0');
  Check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data,
                       input.size()) == 1);
  signature.resize(size);
  const std::size_t coordinate_size = CoordinateSize(kind_);
  return coordinate_size != 0 ? DerToRaw(signature, coordinate_size) : signature;
}

const TestKey& SharedKey(KeyKind kind) {
  static std::mutex mutex;
  static std::map<KeyKind, TestKey> keys;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = keys.find(kind);
  if (it == keys.end()) {
    it = keys.emplace(kind, TestKey::Generate(kind)).first;
  }
  return it->second;
}

std::string Base64Url(std::string_view bytes) {
  // EVP_EncodeBlock writes padded standard base64; translate it (RFC 4648 §5).
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(size));
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  for (char& c : out) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

nlohmann::json SignFlattened(const TestKey& key, const nlohmann::json& header,
                             std::string_view payload) {
  const std::string protected_b64 = Base64Url(header.dump());
  const std::string payload_b64 = Base64Url(payload);
  const std::string alg = header.at("alg").get<std::string>();
  return {{"protected", protected_b64},
          {"payload", payload_b64},
          {"signature", Base64Url(key.Sign(alg, protected_b64 + "." + payload_b64))}};
}

nlohmann::json AcmeHeader(const TestKey& key, std::string_view url, std::string_view kid,
                          std::string_view alg) {
  nlohmann::json header = {{"alg", alg.empty() ? key.DefaultAlg() : std::string(alg)},
                           {"nonce", "c2VydmVyLW5vbmNlLTE"},
                           {"url", std::string(url)}};
  if (kid.empty()) {
    header["jwk"] = key.PublicJwk();
  } else {
    header["kid"] = std::string(kid);
  }
  return header;
}

}  // namespace support
