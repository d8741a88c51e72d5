#include "mockca/report/jws_decode.hpp"

#include <openssl/evp.h>

#include "common/json_parse.hpp"
#include "mockca/jose/base64url.hpp"
#include "mockca/jose/jwk.hpp"

namespace mockca::report {
namespace {

using common::StringMemberOrEmpty;

// text decoded as strict base64url and parsed as JSON; discarded (null) when either fails.
nlohmann::json DecodeJson(std::string_view text) {
  auto bytes = jose::Base64UrlDecode(text, "recorded");
  if (!bytes) {
    return nullptr;
  }
  auto parsed = common::ParseJson(bytes.value());
  return parsed ? std::move(parsed).value() : nlohmann::json(nullptr);
}

std::string Sha256Base64Url(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    return "?";
  }
  return jose::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

// body decoded as DecodeJws does; with header_fields_only as DecodeJwsHeaderFields.
std::optional<RecordedJws> Decode(std::string_view body, bool header_fields_only) {
  const auto parsed = common::ParseJson(body);
  if (!parsed || !parsed->is_object()) {
    return std::nullopt;
  }
  const nlohmann::json& object = *parsed;
  RecordedJws jws;
  jws.has_unprotected_header = object.contains("header");
  jws.has_signatures_array = object.contains("signatures");
  const auto is_string = [&](const char* name) {
    return object.contains(name) && object[name].is_string();
  };
  jws.flattened_json = is_string("protected") && is_string("payload") && is_string("signature");
  const std::string protected_b64 = StringMemberOrEmpty(object, "protected");

  nlohmann::json header = DecodeJson(protected_b64);
  if (header.is_object()) {
    jws.alg = StringMemberOrEmpty(header, "alg");
    jws.nonce = StringMemberOrEmpty(header, "nonce");
    jws.url = StringMemberOrEmpty(header, "url");
    jws.kid = StringMemberOrEmpty(header, "kid");
    if (const auto it = header.find("jwk"); it != header.end()) {
      jws.jwk = *it;
    }
    if (!header_fields_only) {
      jws.protected_header = std::move(header);
    }
  }
  if (header_fields_only) {
    return jws;
  }
  jws.protected_b64 = protected_b64;
  jws.payload_b64 = StringMemberOrEmpty(object, "payload");
  jws.signature_b64 = StringMemberOrEmpty(object, "signature");
  if (!jws.payload_b64.empty()) {
    jws.payload = DecodeJson(jws.payload_b64);
  }
  return jws;
}

}  // namespace

std::optional<RecordedJws> DecodeJws(std::string_view body) {
  return Decode(body, /*header_fields_only=*/false);
}

std::optional<RecordedJws> DecodeJwsHeaderFields(std::string_view body) {
  return Decode(body, /*header_fields_only=*/true);
}

RecordedJws HeaderFieldsOf(const jose::ProtectedHeader& header) {
  RecordedJws jws;
  // ParseJws accepts only a flattened JWS without `header` and `signatures`.
  jws.flattened_json = true;
  jws.alg = header.alg;
  jws.nonce = header.nonce;
  jws.url = header.url;
  jws.kid = header.kid;
  if (header.jwk) {
    jws.jwk = *header.jwk;
  }
  return jws;
}

std::string SignerOf(const RecordedJws& jws) {
  if (!jws.kid.empty()) {
    return jws.kid;
  }
  if (!jws.jwk.is_object()) {
    return {};
  }
  auto key = jose::ParseJwk(jws.jwk);
  if (key) {
    return "key:" + jose::JwkThumbprint(key.value());
  }
  return "key:unparsed:" + Sha256Base64Url(jws.jwk.dump());
}

}  // namespace mockca::report
