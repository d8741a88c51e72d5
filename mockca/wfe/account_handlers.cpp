#include "mockca/wfe/account_handlers.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/json_parse.hpp"
#include "mockca/jose/base64url.hpp"
#include "mockca/jose/jwk.hpp"
#include "mockca/jose/jws.hpp"
#include "mockca/wfe/account_binding.hpp"
#include "mockca/wfe/paths.hpp"
#include "mockca/wfe/urls.hpp"

namespace mockca::wfe {
namespace {

using nlohmann::json;

constexpr std::string_view kMailto = "mailto:";

// S-ACCT-05: one plain address: ASCII without controls or spaces, exactly one '@' with text on both
// sides, no hfields ('?') and no second address (',').
bool IsPlainAddress(std::string_view address) {
  const bool clean = std::all_of(address.begin(), address.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7f && c != '?' && c != ',';
  });
  const auto at = address.find('@');
  return clean && at != std::string_view::npos && at != 0 && at + 1 != address.size() &&
         address.find('@', at + 1) == std::string_view::npos;
}

// The `contact` member (S-ACCT-05): an array of mailto: URIs, each with one plain address.
acme::Result<std::vector<std::string>> ParseContacts(const json& value) {
  if (!value.is_array()) {
    return acme::Malformed("\"contact\" must be an array of strings");
  }
  std::vector<std::string> contacts;
  for (const json& item : value) {
    if (!item.is_string()) {
      return acme::Malformed("\"contact\" must be an array of strings");
    }
    const std::string& uri = item.get_ref<const std::string&>();
    if (!uri.starts_with(kMailto)) {
      return acme::MakeProblem(acme::ProblemType::kUnsupportedContact,
                               "contact \"" + uri + "\" is not supported: only \"mailto:\" is");
    }
    if (!IsPlainAddress(std::string_view(uri).substr(kMailto.size()))) {
      return acme::MakeProblem(
          acme::ProblemType::kInvalidContact,
          "contact \"" + uri + "\" must be one e-mail address without hfields (\"?\")");
    }
    contacts.push_back(uri);
  }
  return contacts;
}

// A boolean member that may be absent (false).
acme::Result<bool> OptionalBool(const json& payload, const char* name) {
  const auto it = payload.find(name);
  if (it == payload.end()) {
    return false;
  }
  if (!it->is_boolean()) {
    return acme::Malformed(std::string("\"") + name + "\" must be a boolean");
  }
  return it->get<bool>();
}

http::Response Reply(int status, const core::Account& account, const std::string& base_url,
                     bool with_location) {
  http::Response response = http::Response::Json(status, AccountJson(account, base_url).dump(2));
  if (with_location) {
    response.With("Location", AccountUrl(base_url, account.id));
  }
  return response;
}

// S-ACCT-03: the key is registered; S-ACCT-10: a deactivated account is not revived.
acme::Result<http::Response> ExistingAccount(const core::Account& account,
                                             const std::string& base_url) {
  if (account.status != core::AccountStatus::kValid) {
    return acme::AccountDeactivated("the account of this key is " +
                                    std::string(core::Name(account.status)));  // S-JWS-10
  }
  return Reply(200, account, base_url, true);
}

// S-ACCT-06: 403 userActionRequired with a Link to the terms.
http::Response TermsNotAgreed(const AccountPolicy& policy) {
  http::Response response = RenderProblem(acme::MakeProblem(
      acme::ProblemType::kUserActionRequired,
      "provided account did not agree to the terms of service: send termsOfServiceAgreed:true"));
  response.With("Link", "<" + policy.terms_of_service + ">;rel=\"terms-of-service\"");
  return response;
}

acme::Result<http::Response> NewAccount(const RequestContext& context, store::MemoryStore& store,
                                        const JwsAuthenticator& auth, const AccountPolicy& policy) {
  auto post = auth.VerifyPost(context, KeyStyle::kJwk);
  if (!post) {
    return post.error();
  }
  auto payload = DecodePayload(*post);
  if (!payload) {
    return payload.error();
  }
  const auto only_existing = OptionalBool(*payload, "onlyReturnExisting");
  const auto agreed = OptionalBool(*payload, "termsOfServiceAgreed");
  if (!only_existing || !agreed) {
    return !only_existing ? only_existing.error() : agreed.error();
  }
  const std::string thumbprint = jose::JwkThumbprint(post->key);
  if (auto existing = store.GetAccountByThumbprint(thumbprint)) {
    return ExistingAccount(*existing, context.base_url);  // before the ToS check, as Pebble
  }
  if (*only_existing) {
    return acme::AccountDoesNotExist("no account exists with the provided key");  // S-ACCT-04
  }
  if (policy.terms_required && !*agreed) {
    return TermsNotAgreed(policy);
  }
  // RFC 8555 §7.3.4, after the ToS as in Pebble.
  auto binding = CheckAccountBinding(*payload, *post, policy.eab_required, policy.eab_keys);
  if (!binding) {
    return binding.error();
  }
  core::Account account;
  if (const auto it = payload->find("contact"); it != payload->end()) {
    auto contacts = ParseContacts(*it);
    if (!contacts) {
      return contacts.error();
    }
    account.contacts = std::move(contacts).value();
  }
  if (acme::Status claimed =
          ClaimAccountBinding(*binding, policy.eab_keys, policy.eab_one_account_per_key);
      !claimed) {
    return claimed.error();  // S-EAB-05
  }
  if (binding->has_value()) {
    account.eab_kid = (*binding)->kid;
    account.external_account_binding = std::move((*binding)->sent);  // S-EAB-03
  }
  account.key_jwk = post->key.jwk;
  account.key_thumbprint = thumbprint;
  account.terms_agreed = *agreed;
  auto added = store.AddAccount(std::move(account));
  if (!added) {
    // A concurrent newAccount with the same key won the race: answer as S-ACCT-03.
    const auto winner = store.GetAccount(added.error().existing_account_id);
    if (added.error().existing_account_id.empty() || !winner) {
      return added.error().problem;
    }
    return ExistingAccount(*winner, context.base_url);
  }
  return Reply(201, *added, context.base_url, true);  // S-ACCT-01
}

acme::Result<http::Response> Updated(store::AccountResult<core::Account> result,
                                     const std::string& base_url) {
  if (!result) {
    return result.error().problem;
  }
  return Reply(200, *result, base_url, false);
}

acme::Result<http::Response> AccountPost(const RequestContext& context, store::MemoryStore& store,
                                         const JwsAuthenticator& auth) {
  auto post = auth.VerifyPost(context, KeyStyle::kKid);
  if (!post) {
    return post.error();
  }
  const core::Account& account = *post->account;
  if (account.id != context.id) {
    return acme::Unauthorized("account \"" + account.id + "\" may not act on account \"" +
                              context.id + "\"");
  }
  if (post->post_as_get()) {
    return Reply(200, account, context.base_url, false);  // S-ACCT-09
  }
  auto payload = DecodePayload(*post);
  if (!payload) {
    return payload.error();
  }
  // S-ACCT-08: a status other than "deactivated" is ignored, like every field not updatable.
  if (const auto it = payload->find("status"); it != payload->end() && *it == "deactivated") {
    return Updated(store.UpdateAccount(account.id,
                                       [](core::Account& stored) {
                                         stored.status = core::AccountStatus::kDeactivated;
                                         return acme::Status();
                                       }),
                   context.base_url);  // S-ACCT-10
  }
  if (const auto it = payload->find("contact"); it != payload->end()) {
    auto contacts = ParseContacts(*it);
    if (!contacts) {
      return contacts.error();
    }
    return Updated(store.UpdateAccount(account.id,
                                       [&contacts](core::Account& stored) {
                                         stored.contacts = *contacts;
                                         return acme::Status();
                                       }),
                   context.base_url);  // S-ACCT-08
  }
  return Reply(200, account, context.base_url, false);  // S-ACCT-08: nothing to change
}

acme::Problem Inner(acme::Problem problem) {
  problem.detail = "inner JWS: " + problem.detail;  // S-KEY-02: errors are tagged "inner"
  return problem;
}

// The inner JWS's protected header (S-KEY-02, S-KEY-03): alg, url and jwk; no kid, no nonce.
acme::Result<jose::ProtectedHeader> ParseInnerHeader(std::string_view protected_b64) {
  auto text = jose::Base64UrlDecode(protected_b64, "protected");
  if (!text) {
    return text.error();
  }
  auto parsed = common::ParseJson(*text);
  if (!parsed) {
    return acme::Malformed("protected header " + parsed.error());
  }
  json raw = std::move(parsed).value();
  if (!raw.is_object()) {
    return acme::Malformed("protected header is not a JSON object");
  }
  if (raw.contains("nonce") || raw.contains("kid") || raw.contains("b64") || raw.contains("crit")) {
    return acme::Malformed(
        "protected header must not have \"nonce\", \"kid\", \"b64\" or \"crit\"");
  }
  const auto alg = raw.find("alg");
  const auto url = raw.find("url");
  const auto jwk = raw.find("jwk");
  if (alg == raw.end() || !alg->is_string() || url == raw.end() || !url->is_string() ||
      url->get_ref<const std::string&>().empty() || jwk == raw.end() || !jwk->is_object()) {
    return acme::Malformed("protected header needs a string \"alg\", \"url\" and a \"jwk\" object");
  }
  jose::ProtectedHeader header;
  header.alg = alg->get<std::string>();
  header.url = url->get<std::string>();
  header.jwk = *jwk;
  header.raw = std::move(raw);
  return header;
}

// S-KEY-01: the outer payload is a flattened JWS. jose::ParseJws requires a nonce, which the inner
// JWS must not have (S-KEY-03), so it is parsed here.
acme::Result<jose::Jws> ParseInnerJws(const std::string& text) {
  const auto parsed = common::ParseJson(text);
  if (!parsed) {
    return acme::Malformed("the keyChange payload " + parsed.error());
  }
  const json& body = *parsed;
  if (!body.is_object() || body.contains("signatures") || body.contains("header")) {
    return acme::Malformed("the keyChange payload must be a flattened JWS");
  }
  const auto member = [&body](const char* name) -> const json& {
    static const json kNone;
    const auto it = body.find(name);
    return it != body.end() && it->is_string() ? *it : kNone;
  };
  if (!member("protected").is_string() || !member("payload").is_string() ||
      !member("signature").is_string()) {
    return acme::Malformed("needs string \"protected\", \"payload\" and \"signature\" members");
  }
  jose::Jws jws;
  jws.protected_b64 = member("protected").get<std::string>();
  jws.payload_b64 = member("payload").get<std::string>();
  auto header = ParseInnerHeader(jws.protected_b64);
  auto payload = jose::Base64UrlDecode(jws.payload_b64, "payload");
  auto signature = jose::Base64UrlDecode(member("signature").get<std::string>(), "signature");
  if (!header || !payload || !signature) {
    return !header ? header.error() : !payload ? payload.error() : signature.error();
  }
  if (signature->empty()) {
    return acme::Malformed("the signature is empty");
  }
  jws.header = std::move(header).value();
  jws.payload = std::move(payload).value();
  jws.signature = std::move(signature).value();
  return jws;
}

// S-KEY-04: the inner payload {account, oldKey}: account is the outer kid, oldKey the current key.
acme::Status CheckRolloverPayload(const std::string& payload_text, const AuthenticatedPost& outer) {
  const auto parsed = common::ParseJson(payload_text);
  if (!parsed) {
    return acme::Malformed("inner JWS payload " + parsed.error());
  }
  const json& payload = *parsed;
  if (!payload.is_object() || !payload.contains("account") || !payload.contains("oldKey")) {
    return acme::Malformed("inner JWS payload must be an object with \"account\" and \"oldKey\"");
  }
  if (payload["account"] != outer.jws.header.kid) {
    return acme::Malformed("inner JWS \"account\" does not equal the outer \"kid\"");
  }
  auto old_key = jose::ParseJwk(payload["oldKey"]);
  if (!old_key) {
    return Inner(old_key.error());
  }
  if (!jose::SameKey(*old_key, outer.key)) {
    return acme::Malformed("inner JWS \"oldKey\" is not the account's current key");
  }
  return {};
}

// Steps 1-8 of RFC 8555 §7.3.5: the new key, verified.
acme::Result<jose::PublicKey> VerifyRollover(const AuthenticatedPost& outer) {
  auto inner = ParseInnerJws(outer.jws.payload);
  if (!inner) {
    return Inner(inner.error());
  }
  auto new_key = jose::EmbeddedKey(*inner);
  if (!new_key) {
    return Inner(new_key.error());
  }
  if (acme::Status signature = jose::VerifySignature(*inner, *new_key); !signature) {
    return Inner(signature.error());  // S-KEY-02
  }
  if (inner->header.url != outer.jws.header.url) {
    return acme::Malformed("inner JWS \"url\" does not equal the outer \"url\"");  // S-KEY-03
  }
  if (acme::Status payload = CheckRolloverPayload(inner->payload, outer); !payload) {
    return payload.error();
  }
  if (jose::SameKey(*new_key, outer.key)) {
    return acme::Malformed("the new key is the account's current key");  // S-KEY-05
  }
  return new_key;
}

acme::Result<http::Response> KeyChange(const RequestContext& context, store::MemoryStore& store,
                                       const JwsAuthenticator& auth) {
  auto post = auth.VerifyPost(context, KeyStyle::kKid);  // S-KEY-01
  if (!post) {
    return post.error();
  }
  if (post->post_as_get()) {
    return acme::Malformed("keyChange requires a JWS payload, not POST-as-GET");
  }
  auto new_key = VerifyRollover(*post);
  if (!new_key) {
    return new_key.error();
  }
  const std::string thumbprint = jose::JwkThumbprint(*new_key);
  auto updated = store.UpdateAccount(post->account->id, [&](core::Account& stored) {
    stored.key_jwk = new_key->jwk;
    stored.key_thumbprint = thumbprint;
    return acme::Status();
  });
  if (!updated && !updated.error().existing_account_id.empty()) {
    // S-KEY-05: 409 naming the account that holds the key.
    return RenderProblem(updated.error().problem)
        .With("Location", AccountUrl(context.base_url, updated.error().existing_account_id));
  }
  return Updated(std::move(updated), context.base_url);  // S-KEY-06
}

}  // namespace

std::string AccountUrl(const std::string& base_url, const std::string& id) {
  return base_url + paths::kAccount + id;
}

std::optional<std::string> AccountIdFromUrl(std::string_view kid) {
  const auto at = kid.rfind(paths::kAccount);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(kid.substr(at + std::string_view(paths::kAccount).size()));
}

json AccountJson(const core::Account& account, const std::string& base_url) {
  json body = {{"status", std::string(core::Name(account.status))},
               {"orders", OrdersListUrl(base_url, account.id)}};
  if (!account.contacts.empty()) {
    body["contact"] = account.contacts;
  }
  if (account.terms_agreed) {
    body["termsOfServiceAgreed"] = true;
  }
  if (account.external_account_binding) {
    body["externalAccountBinding"] = *account.external_account_binding;  // S-EAB-03
  }
  return body;
}

void AddAccountRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                      AccountPolicy policy) {
  router.Add(paths::kNewAccount, {"POST"},
             [&store, &auth, policy = std::move(policy)](const RequestContext& context) {
               return NewAccount(context, store, auth, policy);
             });
  router.Add(paths::kAccount, {"POST"}, [&store, &auth](const RequestContext& context) {
    return AccountPost(context, store, auth);
  });
  router.Add(paths::kKeyChange, {"POST"}, [&store, &auth](const RequestContext& context) {
    return KeyChange(context, store, auth);
  });
}

}  // namespace mockca::wfe
