#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "http/message.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/core/objects.hpp"
#include "mockca/jose/jwk.hpp"
#include "mockca/jose/jws.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/wfe/account_key_cache.hpp"
#include "mockca/wfe/nonce_service.hpp"
#include "mockca/wfe/router.hpp"

namespace mockca::wfe {

// Which key header an endpoint accepts (RFC 8555 §6.2, S-JWS-08): kJwk for newAccount, kJwkOrKid
// for revokeCert (signed by the certificate key or by an account), kKid everywhere else.
enum class KeyStyle { kJwk, kKid, kJwkOrKid };

// A POST that passed VerifyPost: signed, fresh nonce, url matched. Movable, not copyable.
struct AuthenticatedPost {
  jose::Jws jws;
  // The key that verified the signature: the embedded `jwk`, or the account's stored key.
  jose::PublicKey key;
  // The signing account when the JWS used `kid` (then valid at verification time); nullopt for
  // `jwk`.
  std::optional<core::Account> account;

  // RFC 8555 §6.3: the payload is the empty string (S-PAG-01).
  bool post_as_get() const { return jws.post_as_get(); }
};

// The request-authentication step of the WFE (anchors §2 step 3): Pebble's verifyPOST.
//
// The account URL scheme belongs to the router, so it is injected as two functions:
//  - account_url(base_url, id) is the URL this server gives account id when addressed as base_url
//    ("https://" + the request's Host, as Pebble builds every URL): its Location (S-ACCT-01);
//  - account_id_from_url(kid) is the account id a `kid` names, or nullopt when kid is not shaped
//    like an account URL. It may be lax: VerifyPost also requires account_url(base_url, id) == kid
//    for this request's base_url, so only the exact URL as issued on this Host is accepted
//    (S-JWS-08).
// Thread-safe when both functions are; store and nonces must outlive the authenticator.
class JwsAuthenticator {
 public:
  using AccountUrlFn =
      std::function<std::string(const std::string& base_url, const std::string& account_id)>;
  using AccountIdFn = std::function<std::optional<std::string>(std::string_view kid)>;

  // strict: Pebble's -strict (step 8 below).
  JwsAuthenticator(const store::MemoryStore& store, NonceService& nonces, AccountUrlFn account_url,
                   AccountIdFn account_id_from_url, bool strict = false);

  // Authenticates an ACME POST addressed to request_url (the URL the server advertises for the
  // resource, compared as a string). Runs, in this order, and returns the first problem:
  //  1. Content-Type must be application/jose+json (case-insensitive, parameters allowed): else
  //     malformed with status 415 (S-HTTP-07);
  //  2. jose::ParseJws and its problems: malformed, badSignatureAlgorithm, badNonce for a missing
  //     nonce (S-JWS-02..05, S-NONCE-07);
  //  3. the key style: `kid` where style is kJwk, or `jwk` where it is kKid → malformed (S-JWS-08);
  //  4. the key: for `jwk`, jose::EmbeddedKey (malformed, badPublicKey); for `kid`, the kid must be
  //     exactly an account URL as issued under "https://" + request.host and name a stored account,
  //     else accountDoesNotExist (400); the account must be valid, else unauthorized with status
  //     401 (S-JWS-10); its stored JWK is the key (parsed once per key: AccountKeyCache);
  //  5. jose::VerifySignature: badSignatureAlgorithm, badPublicKey, malformed (S-JWS-06, S-JWS-07);
  //  6. only now the nonce is redeemed, so unauthenticated junk cannot burn nonces (S-NONCE-08): an
  //     unknown or used one → badNonce (400) (S-NONCE-05, S-NONCE-06), as is one a nonce fault
  //     rule refuses (NonceService; the facts: where = EndpointKindOf(path), account = the kid,
  //     method "POST", subject "POST <path>");
  //  7. the `url` header must equal request_url exactly, else unauthorized (403) naming both
  //     (S-JWS-09). The nonce is struck by then;
  //  8. when strict: a payload that is a JSON object whose "resource" member (any letter case, as
  //     Go's encoding/json matches it) is a non-empty string → malformed (an ACMEv1 leftover that
  //     Pebble's -strict refuses).
  // Once jose::ParseJws has accepted the body, its protected header (without `raw`) is also noted
  // in *parsed_jws_header when given (the router's recorder then does not parse the body again).
  acme::Result<AuthenticatedPost> VerifyPost(
      const http::Request& request, const std::string& request_url, KeyStyle style,
      std::optional<jose::ProtectedHeader>* parsed_jws_header = nullptr) const;
  // VerifyPost of context's request, request_url and parsed_jws_header.
  acme::Result<AuthenticatedPost> VerifyPost(const RequestContext& context, KeyStyle style) const;

 private:
  acme::Result<core::Account> AccountForKid(const std::string& base_url,
                                            const std::string& kid) const;

  const store::MemoryStore& store_;
  NonceService& nonces_;
  AccountUrlFn account_url_;
  AccountIdFn account_id_from_url_;
  const bool strict_;
  AccountKeyCache account_keys_;
};

// The payload as a JSON object, for endpoints that require a body (newAccount, newOrder, finalize,
// keyChange, revokeCert, and updates). Fails with ProblemType::kMalformed (400) when the payload is
// empty (a POST-as-GET where a body is required, S-PAG-02), is not JSON, or is not an object.
acme::Result<nlohmann::json> DecodePayload(const AuthenticatedPost& post);

// The bytes of payload member `name`, a strict base64url string (finalize's csr, revokeCert's
// certificate). Malformed when it is missing, not a string, or not strict base64url (S-FIN-02).
acme::Result<std::string> Base64UrlMember(const nlohmann::json& payload, const std::string& name);

// For fetch-only resources: the payload must be exactly empty (S-PAG-01). Fails with
// ProblemType::kMalformed (400) otherwise, `{}` included (S-PAG-02).
acme::Status RequirePostAsGet(const AuthenticatedPost& post);

}  // namespace mockca::wfe
