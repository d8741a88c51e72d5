#include "mockca/jose/jws.hpp"

#include <array>
#include <cstdlib>
#include <utility>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "common/json_parse.hpp"
#include "common/openssl_holders.hpp"
#include "mockca/jose/base64url.hpp"

namespace mockca::jose {
namespace {

using nlohmann::json;

struct Algorithm {
  std::string_view alg;
  std::string_view kty;
  std::string_view crv;         // empty: any (RSA)
  const EVP_MD* (*digest)();    // null for EdDSA, which hashes internally
  std::size_t coordinate_size;  // ECDSA: R and S are each this long (RFC 7518 §3.4)
};

// S-JWS-06: the mock's default set. RFC 7518 §3.1, RFC 8037 §3.1.
constexpr std::array<Algorithm, 5> kAlgorithms = {{
    {"RS256", "RSA", "", EVP_sha256, 0},
    {"ES256", "EC", "P-256", EVP_sha256, 32},
    {"ES384", "EC", "P-384", EVP_sha384, 48},
    {"ES512", "EC", "P-521", EVP_sha512, 66},
    {"EdDSA", "OKP", "Ed25519", nullptr, 0},
}};

constexpr std::size_t kEd25519SignatureSize = 64;  // RFC 8032 §5.1.6

const Algorithm* FindAlgorithm(std::string_view alg) {
  for (const Algorithm& algorithm : kAlgorithms) {
    if (algorithm.alg == alg) {
      return &algorithm;
    }
  }
  return nullptr;
}

// S-JWS-05: "none", HS* and anything else unknown; the problem lists what is accepted.
acme::Problem UnsupportedAlgorithm(const std::string& alg) {
  return acme::BadSignatureAlgorithm("JWS alg \"" + alg + "\" is not supported",
                                     SupportedAlgorithms());
}

// A body that is not JSON but looks like header.payload.signature.
bool LooksCompact(std::string_view body) {
  std::size_t dots = 0;
  for (char c : body) {
    dots += c == '.' ? 1 : 0;
  }
  return dots == 2;
}

// RFC 8555 §6.2: the body is a JSON object, the flattened serialization (S-JWS-02).
acme::Result<json> ParseBody(std::string_view body) {
  auto parsed = common::ParseJson(body);
  if (!parsed) {
    if (LooksCompact(body)) {
      return acme::Malformed("JWS compact serialization is not accepted; use flattened JSON");
    }
    return acme::Malformed("JWS body " + parsed.error());
  }
  json document = std::move(parsed).value();
  if (document.is_string()) {
    return acme::Malformed("JWS compact serialization is not accepted; use flattened JSON");
  }
  if (!document.is_object()) {
    return acme::Malformed("JWS body must be a JSON object (flattened serialization)");
  }
  // S-JWS-02: no general serialization, so never more than one signature.
  if (document.contains("signatures")) {
    return acme::Malformed("JWS general serialization (signatures) is not accepted");
  }
  // S-JWS-03: every header parameter must be integrity protected.
  if (document.contains("header")) {
    return acme::Malformed("JWS must not have an unprotected header");
  }
  return document;
}

// The string member name of the body; empty only when allow_empty.
acme::Result<std::string> BodyMember(const json& document, const std::string& name,
                                     bool allow_empty) {
  const auto it = document.find(name);
  if (it == document.end()) {
    // S-JWS-03: a missing payload would be a detached payload (RFC 7515 Appendix F).
    return acme::Malformed("JWS has no " + name + " member");
  }
  if (!it->is_string()) {
    return acme::Malformed("JWS " + name + " must be a string");
  }
  if (!allow_empty && it->get_ref<const std::string&>().empty()) {
    return acme::Malformed("JWS " + name + " must not be empty");
  }
  return it->get<std::string>();
}

// S-JWS-04: exactly one of jwk and kid.
acme::Status DecodeKeyReference(const json& header, ProtectedHeader& out) {
  const auto jwk = header.find("jwk");
  const auto kid = header.find("kid");
  if (jwk != header.end() && kid != header.end()) {
    return acme::Malformed("JWS protected header must not have both jwk and kid");
  }
  if (jwk == header.end() && kid == header.end()) {
    return acme::Malformed("JWS protected header must have jwk or kid");
  }
  if (jwk != header.end()) {
    if (!jwk->is_object()) {
      return acme::Malformed("JWS protected header jwk must be a JSON object");
    }
    out.jwk = *jwk;
    return {};
  }
  if (!kid->is_string() || kid->get_ref<const std::string&>().empty()) {
    return acme::Malformed("JWS protected header kid must be a non-empty string");
  }
  out.kid = kid->get<std::string>();
  return {};
}

// RFC 8555 §6.5: nonce is required; §6.5.1: its value is base64url.
acme::Status DecodeNonce(const json& header, ProtectedHeader& out) {
  const auto it = header.find("nonce");
  if (it == header.end()) {
    return acme::BadNonce("JWS protected header has no nonce");
  }
  // S-NONCE-07: a nonce that is not base64url is malformed, not badNonce.
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    return acme::Malformed("JWS protected header nonce must be a non-empty string");
  }
  const auto decoded = Base64UrlDecode(it->get_ref<const std::string&>(), "nonce");
  if (!decoded) {
    return decoded.error();
  }
  out.nonce = it->get<std::string>();
  return {};
}

acme::Result<ProtectedHeader> DecodeProtectedHeader(const std::string& text) {
  ProtectedHeader out;
  auto parsed = common::ParseJson(text);
  if (!parsed) {
    return acme::Malformed("JWS protected header " + parsed.error());
  }
  out.raw = std::move(parsed).value();
  if (!out.raw.is_object()) {
    return acme::Malformed("JWS protected header is not a JSON object");
  }
  const json& header = out.raw;
  // S-JWS-03: no unencoded payloads (RFC 7797) and no critical extensions, since we know none.
  if (header.contains("b64")) {
    return acme::Malformed("JWS protected header must not have b64 (RFC 7797)");
  }
  if (header.contains("crit")) {
    return acme::Malformed("JWS protected header must not have crit: no extension is understood");
  }
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) {
    return acme::Malformed("JWS protected header must have a string alg");
  }
  out.alg = alg->get<std::string>();
  if (FindAlgorithm(out.alg) == nullptr) {
    return UnsupportedAlgorithm(out.alg);
  }
  if (auto status = DecodeKeyReference(header, out); !status) {
    return status.error();
  }
  // S-JWS-09: url is required; the caller compares it with the request URL.
  const auto url = header.find("url");
  if (url == header.end() || !url->is_string() || url->get_ref<const std::string&>().empty()) {
    return acme::Malformed("JWS protected header must have a non-empty string url");
  }
  out.url = url->get<std::string>();
  if (auto status = DecodeNonce(header, out); !status) {
    return status.error();
  }
  return out;
}

// RFC 7518 §3.4: the JWS form is R||S; OpenSSL verifies the DER ECDSA-Sig-Value.
std::string EcdsaRawToDer(std::string_view raw) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  const int half = static_cast<int>(raw.size() / 2);
  common::BignumPtr r(BN_bin2bn(bytes, half, nullptr));
  common::BignumPtr s(BN_bin2bn(bytes + half, half, nullptr));
  common::EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    std::abort();  // allocation failure
  }
  static_cast<void>(r.release());  // sig owns r and s now
  static_cast<void>(s.release());
  const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (size <= 0) {
    std::abort();
  }
  std::string der(static_cast<std::size_t>(size), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

// S-JWS-07: the alg is supported, but is this key allowed to use it?
acme::Status CheckKeyFitsAlgorithm(const Algorithm& algorithm, const PublicKey& key) {
  if (!key.key) {
    return acme::BadPublicKey("no public key");
  }
  if (!key.alg.empty() && key.alg != algorithm.alg) {
    return acme::BadPublicKey("jwk alg \"" + key.alg + "\" does not match the JWS alg " +
                              std::string(algorithm.alg));
  }
  if (key.kty != algorithm.kty || (!algorithm.crv.empty() && key.crv != algorithm.crv)) {
    const std::string wanted =
        algorithm.crv.empty() ? std::string(algorithm.kty) : std::string(algorithm.crv);
    const std::string have = key.crv.empty() ? key.kty : key.crv;
    return acme::BadPublicKey("JWS alg " + std::string(algorithm.alg) + " needs a " + wanted +
                              " key, not " + have);
  }
  return {};
}

// The signature in the form OpenSSL verifies, or a problem when its length is wrong.
acme::Result<std::string> VerifiableSignature(const Algorithm& algorithm, const Jws& jws,
                                              const PublicKey& key) {
  std::size_t expected = 0;
  if (algorithm.kty == "RSA") {
    expected = static_cast<std::size_t>(EVP_PKEY_get_size(key.key.get()));  // RFC 8017 §8.2.2
  } else if (algorithm.kty == "EC") {
    expected = 2 * algorithm.coordinate_size;
  } else {
    expected = kEd25519SignatureSize;
  }
  if (jws.signature.size() != expected) {
    return acme::Malformed("JWS signature is invalid: " + std::string(algorithm.alg) +
                           " signature must be " + std::to_string(expected) + " bytes, not " +
                           std::to_string(jws.signature.size()));
  }
  return algorithm.kty == "EC" ? EcdsaRawToDer(jws.signature) : jws.signature;
}

}  // namespace

std::vector<std::string> SupportedAlgorithms() {
  std::vector<std::string> names;
  for (const Algorithm& algorithm : kAlgorithms) {
    names.emplace_back(algorithm.alg);
  }
  return names;
}

acme::Result<Jws> ParseJws(std::string_view body) {
  auto document = ParseBody(body);
  if (!document) {
    return document.error();
  }
  Jws jws;
  const std::array<std::pair<const char*, std::string*>, 3> members = {{
      {"protected", &jws.protected_b64},
      {"payload", &jws.payload_b64},  // RFC 8555 §6.3: "" is POST-as-GET
      {"signature", &jws.signature},
  }};
  for (const auto& [name, target] : members) {
    auto text = BodyMember(document.value(), name, target == &jws.payload_b64);
    if (!text) {
      return text.error();
    }
    *target = std::move(text).value();
  }
  auto header_text = Base64UrlDecode(jws.protected_b64, "protected");
  if (!header_text) {
    return header_text.error();
  }
  auto payload = Base64UrlDecode(jws.payload_b64, "payload");
  if (!payload) {
    return payload.error();
  }
  auto signature = Base64UrlDecode(jws.signature, "signature");
  if (!signature) {
    return signature.error();
  }
  auto header = DecodeProtectedHeader(header_text.value());
  if (!header) {
    return header.error();
  }
  jws.payload = std::move(payload).value();
  jws.signature = std::move(signature).value();
  jws.header = std::move(header).value();
  return jws;
}

acme::Result<PublicKey> EmbeddedKey(const Jws& jws) {
  if (!jws.header.jwk) {
    return acme::Malformed("JWS protected header has no jwk");
  }
  return ParseJwk(*jws.header.jwk);
}

acme::Status VerifySignature(const Jws& jws, const PublicKey& key) {
  const Algorithm* algorithm = FindAlgorithm(jws.header.alg);
  if (algorithm == nullptr) {
    return UnsupportedAlgorithm(jws.header.alg);
  }
  if (auto fits = CheckKeyFitsAlgorithm(*algorithm, key); !fits) {
    return fits;
  }
  auto signature = VerifiableSignature(*algorithm, jws, key);
  if (!signature) {
    return signature.error();
  }
  const std::string signing_input = jws.protected_b64 + "." + jws.payload_b64;  // RFC 7515 §5.2
  common::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  const EVP_MD* digest = algorithm->digest != nullptr ? algorithm->digest() : nullptr;
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, key.key.get()) != 1) {
    ERR_clear_error();
    return acme::BadPublicKey("key cannot verify " + std::string(algorithm->alg));
  }
  const int verified = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
      reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  if (verified != 1) {
    ERR_clear_error();  // a bad signature is the client's fault, not an OpenSSL error to log
    return acme::Malformed("JWS signature is invalid");
  }
  return {};
}

}  // namespace mockca::jose
