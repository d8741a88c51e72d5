#include "mockca/server/eab_management.hpp"

#include <string>

#include "common/json.hpp"
#include "common/json_parse.hpp"
#include "mockca/jose/base64url.hpp"

namespace mockca::server {
namespace {

using nlohmann::json;

http::Response BadRequest(const std::string& reason) {
  return http::Response::Text(400, reason + "\n");
}

}  // namespace

http::Response ServeEabManagement(const http::Request& request, wfe::EabKeys& keys) {
  if (request.Path() != kAddEabKeyPath) {
    return http::Response::Text(404, "");
  }
  if (request.method != "POST") {
    return http::Response::Text(405, "method not allowed: use POST\n").With("Allow", "POST");
  }
  const auto parsed = common::ParseJson(request.body);
  if (!parsed) {
    return BadRequest("the body " + parsed.error());
  }
  const json& body = *parsed;
  if (!body.is_object()) {
    return BadRequest("the body must be a JSON object {\"kid\":\"...\",\"hmacKey\":\"...\"}");
  }
  const auto kid = body.find("kid");
  const auto hmac_key = body.find("hmacKey");
  if (kid == body.end() || !kid->is_string() || hmac_key == body.end() || !hmac_key->is_string()) {
    return BadRequest("\"kid\" and \"hmacKey\" must be strings");
  }
  auto mac_key = jose::Base64UrlDecode(hmac_key->get_ref<const std::string&>(), "hmacKey");
  if (!mac_key) {
    return BadRequest(mac_key.error().detail);
  }
  if (common::Status<std::string> added = keys.Add(kid->get<std::string>(), *mac_key); !added) {
    return BadRequest(added.error());
  }
  return http::Response::Text(200, "");
}

}  // namespace mockca::server
