#include "mockca/jose/eab.hpp"

#include <array>
#include <climits>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/json_parse.hpp"
#include "mockca/jose/base64url.hpp"

namespace mockca::jose {
namespace {

using nlohmann::json;

struct MacAlgorithm {
  std::string_view alg;
  const EVP_MD* (*digest)();
};

// RFC 8555 §7.3.4: "alg" MUST indicate a MAC-based algorithm; RFC 7518 §3.2's three, as Pebble.
constexpr std::array<MacAlgorithm, 3> kMacAlgorithms = {{
    {"HS256", EVP_sha256},
    {"HS384", EVP_sha384},
    {"HS512", EVP_sha512},
}};

const MacAlgorithm* FindMacAlgorithm(std::string_view alg) {
  for (const MacAlgorithm& algorithm : kMacAlgorithms) {
    if (algorithm.alg == alg) {
      return &algorithm;
    }
  }
  return nullptr;
}

acme::Problem EabMalformed(const std::string& detail) {
  return acme::Malformed("externalAccountBinding: " + detail);
}

// A string member of object, or nullptr when it is absent or not a string.
const std::string* FindStringMember(const json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// Step 2 (S-EAB-02): alg, kid, no nonce, url equal to the outer url.
acme::Status CheckHeader(const json& header, std::string_view outer_url,
                         ExternalAccountBinding& eab) {
  if (!header.is_object()) {
    return EabMalformed("the protected header is not a JSON object");
  }
  if (header.contains("b64") || header.contains("crit")) {
    return EabMalformed("the protected header must not have \"b64\" or \"crit\"");
  }
  const std::string* alg = FindStringMember(header, "alg");
  if (alg == nullptr || FindMacAlgorithm(*alg) == nullptr) {
    return EabMalformed("\"alg\" must be a MAC algorithm: HS256, HS384 or HS512");
  }
  if (header.contains("nonce")) {
    return EabMalformed("the \"nonce\" field must be absent");  // RFC 8555 §7.3.4
  }
  const std::string* kid = FindStringMember(header, "kid");
  if (kid == nullptr || kid->empty()) {
    return EabMalformed("the \"kid\" field is required: the key identifier the CA issued");
  }
  const std::string* url = FindStringMember(header, "url");
  if (url == nullptr) {
    return EabMalformed("the \"url\" field is required");
  }
  if (*url != outer_url) {
    return EabMalformed("the \"url\" field differs from the outer JWS \"url\"");
  }
  eab.alg = *alg;
  eab.kid = *kid;
  return {};
}

}  // namespace

acme::Result<ExternalAccountBinding> ParseEab(const json& value, std::string_view outer_url) {
  // Step 1 (S-EAB-02): a flattened JWS, with no unprotected header (RFC 8555 §6.2).
  if (!value.is_object() || value.contains("signatures") || value.contains("header")) {
    return EabMalformed("must be a flattened JWS object without \"signatures\" or \"header\"");
  }
  const std::string* protected_b64 = FindStringMember(value, "protected");
  const std::string* payload_b64 = FindStringMember(value, "payload");
  const std::string* signature_b64 = FindStringMember(value, "signature");
  if (protected_b64 == nullptr || payload_b64 == nullptr || signature_b64 == nullptr) {
    return EabMalformed("needs string \"protected\", \"payload\" and \"signature\" members");
  }
  auto header_text = Base64UrlDecode(*protected_b64, "externalAccountBinding.protected");
  auto payload = Base64UrlDecode(*payload_b64, "externalAccountBinding.payload");
  auto mac = Base64UrlDecode(*signature_b64, "externalAccountBinding.signature");
  if (!header_text || !payload || !mac) {
    return !header_text ? header_text.error() : !payload ? payload.error() : mac.error();
  }
  if (mac->empty()) {
    return EabMalformed("the signature is empty");
  }
  ExternalAccountBinding eab;
  const auto parsed_header = common::ParseJson(*header_text);
  if (!parsed_header) {
    return EabMalformed("the protected header " + parsed_header.error());
  }
  const json& header = *parsed_header;
  if (acme::Status checked = CheckHeader(header, outer_url, eab); !checked) {
    return checked.error();
  }
  eab.protected_b64 = *protected_b64;
  eab.payload_b64 = *payload_b64;
  eab.mac = std::move(mac).value();
  eab.payload = std::move(payload).value();
  eab.sent = value;
  return eab;
}

acme::Status VerifyEabMac(const ExternalAccountBinding& eab, std::string_view mac_key) {
  const MacAlgorithm* algorithm = FindMacAlgorithm(eab.alg);
  if (algorithm == nullptr || mac_key.empty() || mac_key.size() > INT_MAX) {
    return acme::Unauthorized("externalAccountBinding: no usable MAC key for \"" + eab.kid + "\"");
  }
  const std::string input = eab.protected_b64 + "." + eab.payload_b64;
  std::array<unsigned char, EVP_MAX_MD_SIZE> expected{};
  unsigned int expected_size = 0;
  if (HMAC(algorithm->digest(), mac_key.data(), static_cast<int>(mac_key.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), expected.data(),
           &expected_size) == nullptr) {
    return acme::ServerInternal("externalAccountBinding: HMAC failed");
  }
  if (eab.mac.size() != expected_size ||
      CRYPTO_memcmp(eab.mac.data(), expected.data(), expected_size) != 0) {
    return acme::Unauthorized("externalAccountBinding: the MAC does not verify with the key of \"" +
                              eab.kid + "\"");  // step 4
  }
  return {};
}

acme::Status CheckEabKey(const ExternalAccountBinding& eab, const PublicKey& outer_key) {
  const auto payload = common::ParseJson(eab.payload);
  if (!payload) {
    return EabMalformed("the payload " + payload.error() + ": it must be the account's JWK");
  }
  auto key = ParseJwk(*payload);
  if (!key) {
    return EabMalformed("the payload is not a usable JWK: " + key.error().detail);
  }
  if (!SameKey(*key, outer_key)) {
    return acme::BadPublicKey(
        "externalAccountBinding: the payload key is not the key that signed the request");
  }
  return {};
}

acme::Result<ExternalAccountBinding> VerifyEab(const json& value, std::string_view outer_url,
                                               const PublicKey& outer_key,
                                               const MacKeyLookup& lookup) {
  auto eab = ParseEab(value, outer_url);
  if (!eab) {
    return eab.error();
  }
  const std::optional<std::string> mac_key = lookup ? lookup(eab->kid) : std::nullopt;
  if (!mac_key) {
    return acme::Unauthorized("externalAccountBinding: the \"kid\" \"" + eab->kid +
                              "\" is not known to this CA");  // step 3
  }
  if (acme::Status mac = VerifyEabMac(*eab, *mac_key); !mac) {
    return mac.error();
  }
  if (acme::Status key = CheckEabKey(*eab, outer_key); !key) {
    return key.error();
  }
  return eab;
}

}  // namespace mockca::jose
