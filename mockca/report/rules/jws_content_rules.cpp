// B.4 JWS construction (C-JWS-06, -07, -09): media type, key material and payload fields.
#include "mockca/report/rules/jws_content_rules.hpp"

#include <string>
#include <vector>

#include "common/ascii.hpp"
#include "mockca/report/rules/key_support.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// The private JWK members of RFC 7518 §6.2.2 and §6.3.2 (and "k" of §6.4) that jwk holds.
std::string PrivateMembers(const nlohmann::json& jwk) {
  std::string found;
  if (!jwk.is_object()) {
    return found;
  }
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    if (jwk.contains(member)) {
      found += (found.empty() ? "" : ", ") + std::string(member);
    }
  }
  return found;
}

// Every JWK a signed POST carries, by where it sits.
std::vector<std::pair<std::string, nlohmann::json>> CarriedJwks(const Exchange& exchange) {
  std::vector<std::pair<std::string, nlohmann::json>> jwks;
  if (exchange.jws->jwk.is_object()) {
    jwks.emplace_back("the jwk", exchange.jws->jwk);
  }
  const nlohmann::json* payload = PayloadObject(exchange);
  if (payload == nullptr) {
    return jwks;
  }
  if (exchange.kind == "keyChange") {
    const InnerJws inner = DecodeInnerJws(*payload);
    if (inner.protected_header.is_object() && inner.protected_header.contains("jwk")) {
      jwks.emplace_back("the inner JWS jwk", inner.protected_header["jwk"]);
    }
    if (inner.payload.is_object() && inner.payload.contains("oldKey")) {
      jwks.emplace_back("oldKey", inner.payload["oldKey"]);
    }
  }
  if (const auto eab = payload->find("externalAccountBinding");
      eab != payload->end() && eab->is_object()) {
    const InnerJws inner = DecodeInnerJws(*eab);
    if (inner.payload.is_object()) {
      jwks.emplace_back("the EAB payload", inner.payload);
    }
  }
  return jwks;
}

}  // namespace

// C-JWS-06 (§6.2): Content-Type application/jose+json on every POST; parameters → NOTE.
Finding JudgeContentType(const ClientRecord& client) {
  FindingBuilder result("C-JWS-06", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.method != "POST") {
      continue;
    }
    result.Checked(exchange.id);
    const std::string value = HeaderValue(exchange.request_headers, "Content-Type");
    const std::size_t semicolon = value.find(';');
    const std::string_view media_type =
        common::TrimBlanks(std::string_view(value).substr(0, semicolon));
    if (!common::EqualsIgnoreCase(media_type, "application/jose+json")) {
      result.Fail(
          Describe(exchange) + ": Content-Type \"" + value + "\" is not application/jose+json",
          {exchange.id});
    } else if (semicolon != std::string::npos) {
      result.Note(Describe(exchange) + ": Content-Type \"" + value +
                      "\" has parameters; send application/jose+json alone",
                  {exchange.id});
    }
  }
  return result.Finish("every POST is application/jose+json", "no POST recorded");
}

// C-JWS-07 (§6.2, SEC): public members only in every JWK sent.
Finding JudgePublicJwk(const ClientRecord& client) {
  FindingBuilder result("C-JWS-07", "SEC");
  for (const Exchange& exchange : client.exchanges) {
    if (!IsSignedPost(exchange)) {
      continue;
    }
    for (const auto& [where, jwk] : CarriedJwks(exchange)) {
      result.Checked(exchange.id);
      const std::string members = PrivateMembers(jwk);
      if (!members.empty()) {
        result.Fail(Describe(exchange) + ": " + where + " holds private key members (" + members +
                        "): the private key was sent to the CA",
                    {exchange.id});
      }
    }
  }
  return result.Finish("every JWK sent holds public members only", "no JWK sent");
}

// C-JWS-09 (§7.4, BP): no resource, no status in newOrder, no keyAuthorization in a challenge.
Finding JudgeLegacyFields(const ClientRecord& client) {
  FindingBuilder result("C-JWS-09", "BP");
  for (const Exchange& exchange : client.exchanges) {
    const nlohmann::json* payload = PayloadObject(exchange);
    if (payload == nullptr) {
      continue;
    }
    result.Checked(exchange.id);
    std::string fields;
    if (payload->contains("resource")) {
      fields = "\"resource\" (a pre-RFC field)";
    }
    if (exchange.kind == "newOrder" && payload->contains("status")) {
      fields += (fields.empty() ? "" : ", ") + std::string("\"status\" (server-owned)");
    }
    if (exchange.kind == "challenge" && payload->contains("keyAuthorization")) {
      fields += (fields.empty() ? "" : ", ") + std::string("\"keyAuthorization\" (pre-RFC)");
    }
    if (!fields.empty()) {
      result.Note(Describe(exchange) + ": the payload carries " + fields, {exchange.id});
    }
  }
  return result.Finish("no legacy or server-owned payload fields", "no JSON payload sent");
}

}  // namespace mockca::report::rules
