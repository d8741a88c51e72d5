#include "mockca/report/rules/key_support.hpp"

#include <vector>

#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {

InnerJws DecodeInnerJws(const nlohmann::json& object) {
  InnerJws inner;
  const auto protected_b64 = StringMember(object, "protected");
  const auto payload_b64 = StringMember(object, "payload");
  inner.flattened = protected_b64 && payload_b64 && StringMember(object, "signature");
  if (protected_b64) {
    inner.protected_header = DecodeJsonMember(*protected_b64);
  }
  if (payload_b64) {
    inner.payload = DecodeJsonMember(*payload_b64);
  }
  return inner;
}

nlohmann::json RequiredMembers(const nlohmann::json& jwk) {
  const auto kty = StringMember(jwk, "kty");
  if (!kty) {
    return nullptr;
  }
  std::vector<const char*> members;
  if (*kty == "RSA") {
    members = {"e", "kty", "n"};
  } else if (*kty == "EC") {
    members = {"crv", "kty", "x", "y"};
  } else if (*kty == "OKP") {
    members = {"crv", "kty", "x"};
  } else {
    return nullptr;
  }
  nlohmann::json required = nlohmann::json::object();
  for (const char* member : members) {
    if (const auto value = StringMember(jwk, member)) {
      required[member] = *value;
    }
  }
  return required;
}

bool SameKey(const nlohmann::json& a, const nlohmann::json& b) {
  const nlohmann::json required_a = RequiredMembers(a);
  return !required_a.is_null() && required_a == RequiredMembers(b);
}

std::optional<bool> AlgFitsKey(const std::string& alg, const nlohmann::json& jwk) {
  const std::string kty = StringMember(jwk, "kty").value_or("");
  const std::string crv = StringMember(jwk, "crv").value_or("");
  if (kty == "RSA") {
    return alg == "RS256" || alg == "RS384" || alg == "RS512" || alg == "PS256" || alg == "PS384" ||
           alg == "PS512";
  }
  if (kty == "EC") {
    if (crv == "P-256") {
      return alg == "ES256";
    }
    if (crv == "P-384") {
      return alg == "ES384";
    }
    if (crv == "P-521") {
      return alg == "ES512";
    }
    return std::nullopt;
  }
  if (kty == "OKP" && (crv == "Ed25519" || crv == "Ed448")) {
    return alg == "EdDSA";
  }
  return std::nullopt;
}

nlohmann::json AccountKeyBefore(const ClientRecord& client, std::size_t index,
                                const std::string& kid) {
  nlohmann::json key;
  for (std::size_t i = 0; i < index && i < client.exchanges.size(); ++i) {
    const Exchange& exchange = client.exchanges[i];
    if (!IsSignedPost(exchange) || exchange.status < 200 || exchange.status > 201) {
      continue;
    }
    if (exchange.kind == "newAccount" &&
        HeaderValue(exchange.response_headers, "Location") == kid) {
      key = exchange.jws->jwk;
    } else if (exchange.kind == "keyChange" && exchange.status == 200 && exchange.jws->kid == kid &&
               exchange.jws->payload.is_object()) {
      const InnerJws inner = DecodeInnerJws(exchange.jws->payload);
      if (inner.protected_header.is_object() && inner.protected_header.contains("jwk")) {
        key = inner.protected_header["jwk"];
      }
    }
  }
  return key;
}

}  // namespace mockca::report::rules
