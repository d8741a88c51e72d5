#include "mockca/wfe/jws_auth.hpp"

#include <utility>

#include "common/ascii.hpp"
#include "common/json_parse.hpp"
#include "mockca/jose/base64url.hpp"
#include "mockca/wfe/endpoint_kind.hpp"

namespace mockca::wfe {
namespace {

constexpr std::string_view kJoseJson = "application/jose+json";

std::string_view TrimSpace(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// S-HTTP-07: the media type must be application/jose+json. Media types are case-insensitive
// (RFC 9110 §8.3.1); parameters such as "; charset=utf-8" are accepted (C-JWS-06 notes them).
acme::Status CheckContentType(const http::Request& request) {
  const std::string content_type = request.Header("Content-Type");
  const std::string_view media_type =
      TrimSpace(std::string_view(content_type).substr(0, content_type.find(';')));
  if (!common::EqualsIgnoreCase(media_type, kJoseJson)) {
    return acme::UnsupportedMediaType("Content-Type must be \"application/jose+json\", got \"" +
                                      content_type + "\"");
  }
  return {};
}

// S-JWS-08: jwk only where the endpoint takes it, kid everywhere else.
acme::Status CheckKeyStyle(const jose::Jws& jws, KeyStyle style) {
  const bool has_jwk = jws.header.jwk.has_value();
  if (has_jwk && style == KeyStyle::kKid) {
    return acme::Malformed("this request must be signed with an account key named by \"kid\"");
  }
  if (!has_jwk && style == KeyStyle::kJwk) {
    return acme::Malformed("this request must carry its key as \"jwk\", not \"kid\"");
  }
  return {};
}

// Pebble's -strict: the ACMEv1 "resource" field must not be sent (any letter case, as Go matches
// JSON keys).
acme::Status CheckNoResource(const std::string& payload) {
  const auto parsed = common::ParseJson(payload);
  if (!parsed || !parsed->is_object()) {
    return {};  // the handler refuses it with its own detail
  }
  for (const auto& [key, value] : parsed->items()) {
    if (common::EqualsIgnoreCase(key, "resource") && value.is_string() &&
        !value.get_ref<const std::string&>().empty()) {
      return acme::Malformed("strict mode: the JWS payload has a legacy ACMEv1 \"resource\" field");
    }
  }
  return {};
}

// What the nonce fault rules match on (faults::Stage::kNonce): the endpoint kind of the request,
// its kid account URL (none for a jwk-signed one) and "POST <path>".
faults::Facts NonceFacts(const http::Request& request, const jose::Jws& jws) {
  faults::Facts facts;
  const std::string path = request.Path();
  facts.where = EndpointKindOf(path);
  facts.method = "POST";
  facts.account = jws.header.kid;
  facts.subject = "POST " + path;
  return facts;
}

}  // namespace

JwsAuthenticator::JwsAuthenticator(const store::MemoryStore& store, NonceService& nonces,
                                   AccountUrlFn account_url, AccountIdFn account_id_from_url,
                                   bool strict)
    : store_(store),
      nonces_(nonces),
      account_url_(std::move(account_url)),
      account_id_from_url_(std::move(account_id_from_url)),
      strict_(strict) {}

// S-JWS-08: the kid must be an account URL exactly as issued, of a stored account; S-JWS-10: the
// account must be valid.
acme::Result<core::Account> JwsAuthenticator::AccountForKid(const std::string& base_url,
                                                            const std::string& kid) const {
  const std::optional<std::string> id = account_id_from_url_(kid);
  if (!id || account_url_(base_url, *id) != kid) {
    return acme::AccountDoesNotExist("\"kid\" is not an account URL of this server: \"" + kid +
                                     "\"");
  }
  std::optional<core::Account> account = store_.GetAccount(*id);
  if (!account) {
    return acme::AccountDoesNotExist("no account exists at \"" + kid + "\"");
  }
  if (account->status != core::AccountStatus::kValid) {
    return acme::AccountDeactivated("account \"" + kid + "\" is " +
                                    std::string(core::Name(account->status)));
  }
  return std::move(*account);
}

acme::Result<AuthenticatedPost> JwsAuthenticator::VerifyPost(const RequestContext& context,
                                                             KeyStyle style) const {
  return VerifyPost(context.request, context.request_url, style, context.parsed_jws_header);
}

acme::Result<AuthenticatedPost> JwsAuthenticator::VerifyPost(
    const http::Request& request, const std::string& request_url, KeyStyle style,
    std::optional<jose::ProtectedHeader>* parsed_jws_header) const {
  if (acme::Status content_type = CheckContentType(request); !content_type) {
    return content_type.error();
  }
  acme::Result<jose::Jws> jws = jose::ParseJws(request.body);  // S-JWS-02..05
  if (!jws) {
    return jws.error();
  }
  if (parsed_jws_header != nullptr) {
    const jose::ProtectedHeader& header = jws->header;
    *parsed_jws_header =
        jose::ProtectedHeader{header.alg, header.nonce, header.url, header.kid, header.jwk, {}};
  }
  if (acme::Status key_style = CheckKeyStyle(*jws, style); !key_style) {
    return key_style.error();
  }
  std::optional<core::Account> account;
  acme::Result<jose::PublicKey> key = [&]() -> acme::Result<jose::PublicKey> {
    if (jws->header.jwk) {
      return jose::EmbeddedKey(*jws);
    }
    acme::Result<core::Account> found = AccountForKid("https://" + request.host, jws->header.kid);
    if (!found) {
      return found.error();
    }
    account = std::move(found).value();
    return account_keys_.KeyOf(*account);
  }();
  if (!key) {
    return key.error();
  }
  if (acme::Status signature = jose::VerifySignature(*jws, *key); !signature) {
    return signature.error();
  }
  // S-NONCE-08: only an authenticated request may strike a nonce; S-NONCE-05/06: once each.
  const faults::Facts facts = nonces_.faults_armed() ? NonceFacts(request, *jws) : faults::Facts();
  if (!nonces_.Redeem(jws->header.nonce, facts)) {
    return acme::BadNonce("JWS has an invalid anti-replay nonce: \"" + jws->header.nonce + "\"");
  }
  // S-JWS-09: a string compare with the URL the server advertises, after the nonce is struck.
  if (jws->header.url != request_url) {
    return acme::Unauthorized("JWS header \"url\" is \"" + jws->header.url +
                              "\" but the request URL is \"" + request_url + "\"");
  }
  if (strict_) {
    if (acme::Status resource = CheckNoResource(jws->payload); !resource) {
      return resource.error();
    }
  }
  return AuthenticatedPost{std::move(jws).value(), std::move(key).value(), std::move(account)};
}

acme::Result<nlohmann::json> DecodePayload(const AuthenticatedPost& post) {
  if (post.jws.payload.empty()) {
    return acme::Malformed("this request requires a JSON payload, not POST-as-GET");  // S-PAG-02
  }
  auto payload = common::ParseJson(post.jws.payload);
  if (!payload) {
    return acme::Malformed("JWS payload " + payload.error());
  }
  if (!payload->is_object()) {
    return acme::Malformed("JWS payload is not a JSON object");
  }
  return std::move(payload).value();
}

acme::Status RequirePostAsGet(const AuthenticatedPost& post) {
  if (!post.post_as_get() || !post.jws.payload.empty()) {
    return acme::Malformed("POST-as-GET requests must have an empty payload");  // S-PAG-01/02
  }
  return {};
}

acme::Result<std::string> Base64UrlMember(const nlohmann::json& payload, const std::string& name) {
  const auto member = payload.find(name);
  if (member == payload.end() || !member->is_string()) {
    return acme::Malformed("the payload needs a base64url string \"" + name + "\"");
  }
  return jose::Base64UrlDecode(member->get_ref<const std::string&>(), name);
}

}  // namespace mockca::wfe
