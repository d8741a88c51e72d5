#include "mockca/wfe/jws_auth.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "mockca/jose/jwk.hpp"
#include "tests/support/jws_signer.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace jws_auth_test {

namespace {

using mockca::acme::ProblemType;
using mockca::core::AccountStatus;
using mockca::wfe::AuthenticatedPost;
using mockca::wfe::DecodePayload;
using mockca::wfe::JwsAuthenticator;
using mockca::wfe::KeyStyle;
using mockca::wfe::RequirePostAsGet;
using nlohmann::json;
using support::KeyKind;
using support::SharedKey;
using support::TestKey;

const std::string kAccountPrefix = "https://ca.test/my-account/";
const std::string kUrl = "https://ca.test/order-plz";

// A store with one valid account (P-256 key), a nonce pool and an authenticator whose account URLs
// are "https://" + Host + "/my-account/" + id (kAccountPrefix for Host ca.test). Its id parser is
// deliberately lax (it takes the last path segment of any URL), so the tests see that VerifyPost
// itself insists on the URL exactly as issued.
struct AuthFixture : support::WfeState {
  AuthFixture() : WfeState(7) {}

  JwsAuthenticator auth{store, nonces,
                        [](const std::string& base_url, const std::string& id) {
                          return base_url + "/my-account/" + id;
                        },
                        [](std::string_view url) -> std::optional<std::string> {
                          const auto slash = url.rfind('/');
                          if (slash == std::string_view::npos) {
                            return std::nullopt;
                          }
                          return std::string(url.substr(slash + 1));
                        }};
  const TestKey& account_key = SharedKey(KeyKind::kP256);
  std::string account_id = AddAccount(account_key);
  std::string kid = kAccountPrefix + account_id;

  std::string AddAccount(const TestKey& key) {
    auto parsed = mockca::jose::ParseJwk(key.PublicJwk());
    REQUIRE(parsed.ok());
    mockca::core::Account account;
    account.key_jwk = parsed->jwk;
    account.key_thumbprint = mockca::jose::JwkThumbprint(*parsed);
    auto added = store.AddAccount(account);
    REQUIRE(added.ok());
    return added->id;
  }

  void SetStatus(AccountStatus status) {
    auto updated = store.UpdateAccount(account_id, [status](mockca::core::Account& account) {
      account.status = status;
      return mockca::acme::Status();
    });
    REQUIRE(updated.ok());
  }

  // AcmeHeader with a freshly issued nonce.
  json Header(const TestKey& key, const std::string& url, const std::string& key_id = "") {
    json header = support::AcmeHeader(key, url, key_id);
    header["nonce"] = nonces.Issue();
    return header;
  }
  json KidHeader(const std::string& url = kUrl) { return Header(account_key, url, kid); }

  static http::Request Post(const json& body,
                            const std::string& content_type = "application/jose+json") {
    http::Request request;
    request.method = "POST";
    request.target = "/order-plz";
    request.host = "ca.test";
    request.https = true;
    if (!content_type.empty()) {
      request.headers.emplace_back("Content-Type", content_type);
    }
    request.body = body.dump();
    return request;
  }

  mockca::acme::Result<AuthenticatedPost> Verify(const json& body,
                                                 KeyStyle style = KeyStyle::kKid) {
    return auth.VerifyPost(Post(body), kUrl, style);
  }
};

template <typename T>
void CheckProblem(const T& result, ProblemType type, int status) {
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().type == type);
  CHECK(result.error().status == status);
}

TEST_CASE("VerifyPost accepts a kid-signed request of a valid account (S-JWS-08)", "[wfe][jws]") {
  AuthFixture f;
  const auto style = GENERATE(KeyStyle::kKid, KeyStyle::kJwkOrKid);
  const json header = f.KidHeader();
  auto post = f.Verify(support::SignFlattened(f.account_key, header, ""), style);
  REQUIRE(post.ok());
  REQUIRE(post->account.has_value());
  CHECK(post->account->id == f.account_id);
  CHECK(post->post_as_get());
  CHECK(post->jws.header.url == kUrl);
  CHECK(post->key.jwk == f.account_key.PublicJwk());
  CHECK_FALSE(f.nonces.Redeem(header["nonce"].get<std::string>()));  // S-NONCE-05: struck
}

TEST_CASE("VerifyPost accepts a jwk-signed request where jwk is allowed (S-JWS-08)", "[wfe][jws]") {
  AuthFixture f;
  const auto style = GENERATE(KeyStyle::kJwk, KeyStyle::kJwkOrKid);
  const auto kind = GENERATE(KeyKind::kP256, KeyKind::kP384, KeyKind::kEd25519);
  const TestKey& key = SharedKey(kind);
  const std::string payload = R"({"termsOfServiceAgreed":true})";
  auto post = f.Verify(support::SignFlattened(key, f.Header(key, kUrl), payload), style);
  REQUIRE(post.ok());
  CHECK_FALSE(post->account.has_value());
  CHECK_FALSE(post->post_as_get());
  CHECK(post->jws.payload == payload);
  CHECK(post->key.jwk == key.PublicJwk());
}

TEST_CASE("VerifyPost requires Content-Type application/jose+json (S-HTTP-07)", "[wfe][jws]") {
  AuthFixture f;
  const json body = support::SignFlattened(f.account_key, f.KidHeader(), "");
  SECTION("a wrong or missing media type gets 415 malformed") {
    const std::string content_type =
        GENERATE(as<std::string>(), "", "application/json", "text/plain", "application/jose");
    auto post = f.auth.VerifyPost(AuthFixture::Post(body, content_type), kUrl, KeyStyle::kKid);
    CheckProblem(post, ProblemType::kMalformed, 415);
  }
  SECTION("case and media-type parameters are accepted (C-JWS-06)") {
    const std::string content_type =
        GENERATE(as<std::string>(), "application/jose+json; charset=utf-8", "Application/JOSE+JSON",
                 " application/jose+json ;charset=utf-8");
    auto post = f.auth.VerifyPost(AuthFixture::Post(body, content_type), kUrl, KeyStyle::kKid);
    CHECK(post.ok());
  }
  SECTION("the media type is checked before the body is parsed") {
    http::Request request = AuthFixture::Post(body, "application/json");
    request.body = "not a JWS";
    CheckProblem(f.auth.VerifyPost(request, kUrl, KeyStyle::kKid), ProblemType::kMalformed, 415);
  }
}

TEST_CASE("VerifyPost passes on ParseJws problems (S-JWS-02..05)", "[wfe][jws]") {
  AuthFixture f;
  SECTION("a body that is not a flattened JWS is malformed (S-JWS-02)") {
    http::Request request = AuthFixture::Post(json::object());
    request.body = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln";
    CheckProblem(f.auth.VerifyPost(request, kUrl, KeyStyle::kKid), ProblemType::kMalformed, 400);
  }
  SECTION("alg none gets badSignatureAlgorithm (S-JWS-05)") {
    json header = f.KidHeader();
    header["alg"] = "none";
    json body = support::SignFlattened(f.account_key, header, "");
    CheckProblem(f.Verify(body), ProblemType::kBadSignatureAlgorithm, 400);
    CHECK(f.nonces.Redeem(header["nonce"].get<std::string>()));  // S-NONCE-08
  }
  SECTION("a missing nonce gets badNonce (S-NONCE-06)") {
    json header = f.KidHeader();
    header.erase("nonce");
    CheckProblem(f.Verify(support::SignFlattened(f.account_key, header, "")),
                 ProblemType::kBadNonce, 400);
  }
}

TEST_CASE("VerifyPost refuses the wrong key style with malformed (S-JWS-08)", "[wfe][jws]") {
  AuthFixture f;
  SECTION("jwk where kid is required") {
    const json header = f.Header(f.account_key, kUrl);
    CheckProblem(f.Verify(support::SignFlattened(f.account_key, header, ""), KeyStyle::kKid),
                 ProblemType::kMalformed, 400);
    CHECK(f.nonces.Redeem(header["nonce"].get<std::string>()));  // S-NONCE-08
  }
  SECTION("kid where jwk is required (newAccount)") {
    const json header = f.KidHeader();
    CheckProblem(f.Verify(support::SignFlattened(f.account_key, header, ""), KeyStyle::kJwk),
                 ProblemType::kMalformed, 400);
    CHECK(f.nonces.Redeem(header["nonce"].get<std::string>()));  // S-NONCE-08
  }
}

TEST_CASE("VerifyPost requires kid to be an issued account URL exactly (S-JWS-08)", "[wfe][jws]") {
  AuthFixture f;
  // {before, after}: the kid is before + account id + after, or just before when after is "-".
  const auto [before, after] = GENERATE(table<std::string, std::string>({
      {"https://evil.test/my-account/", ""},
      {"https://CA.test/my-account/", ""},
      {kAccountPrefix, "/"},
      {kAccountPrefix + "unknown-account-id", "-"},
      {"not-a-url", "-"},
  }));
  const std::string kid = after == "-" ? before : before + f.account_id + after;
  const json header = f.Header(f.account_key, kUrl, kid);
  CheckProblem(f.Verify(support::SignFlattened(f.account_key, header, "")),
               ProblemType::kAccountDoesNotExist, 400);
  CHECK(f.nonces.Redeem(header["nonce"].get<std::string>()));  // S-NONCE-08
}

TEST_CASE("VerifyPost compares kid with the account URL of the request's Host (S-JWS-08)",
          "[wfe][jws]") {
  AuthFixture f;
  const std::string other_base = "https://other.test:14000";
  const std::string url = other_base + "/order-plz";
  http::Request request = AuthFixture::Post({});
  request.host = "other.test:14000";
  SECTION("the URL as issued on that Host is accepted") {
    request.body = support::SignFlattened(
                       f.account_key,
                       f.Header(f.account_key, url, other_base + "/my-account/" + f.account_id), "")
                       .dump();
    auto post = f.auth.VerifyPost(request, url, KeyStyle::kKid);
    REQUIRE(post.ok());
    CHECK(post->account->id == f.account_id);
  }
  SECTION("the URL of another Host is not") {
    request.body =
        support::SignFlattened(f.account_key, f.Header(f.account_key, url, f.kid), "").dump();
    CheckProblem(f.auth.VerifyPost(request, url, KeyStyle::kKid), ProblemType::kAccountDoesNotExist,
                 400);
  }
}

TEST_CASE("VerifyPost answers a deactivated or revoked account with 401 unauthorized (S-JWS-10)",
          "[wfe][jws]") {
  AuthFixture f;
  f.SetStatus(GENERATE(AccountStatus::kDeactivated, AccountStatus::kRevoked));
  // POST-as-GET included.
  const std::string payload = GENERATE(as<std::string>(), "", "{}");
  const json header = f.KidHeader();
  auto post = f.Verify(support::SignFlattened(f.account_key, header, payload));
  CheckProblem(post, ProblemType::kUnauthorized, 401);
  CHECK(f.nonces.Redeem(header["nonce"].get<std::string>()));  // S-NONCE-08
}

TEST_CASE("A bad signature is malformed and leaves the nonce usable (S-NONCE-08)", "[wfe][jws]") {
  AuthFixture f;
  const TestKey& other = SharedKey(KeyKind::kP384);
  SECTION("kid: signed by a key that is not the account's") {
    json header = f.KidHeader();
    header["alg"] = other.DefaultAlg();
    json body = support::SignFlattened(other, header, "");
    // ES384 with the account's P-256 key: the key does not suit the alg.
    CheckProblem(f.Verify(body), ProblemType::kBadPublicKey, 400);
    header["alg"] = f.account_key.DefaultAlg();
    body = support::SignFlattened(f.account_key, header, "{}");
    body["payload"] = support::Base64Url("{\"x\":1}");  // signature no longer covers the payload
    CheckProblem(f.Verify(body), ProblemType::kMalformed, 400);
    CHECK(f.nonces.Redeem(header["nonce"].get<std::string>()));
  }
  SECTION("jwk: signed by another key than the embedded one") {
    const TestKey embedded = TestKey::Generate(KeyKind::kP256);
    const json header = f.Header(embedded, kUrl);  // ES256 with the embedded P-256 key
    CheckProblem(f.Verify(support::SignFlattened(f.account_key, header, ""), KeyStyle::kJwk),
                 ProblemType::kMalformed, 400);
    CHECK(f.nonces.Redeem(header["nonce"].get<std::string>()));
  }
}

TEST_CASE("VerifyPost refuses an unknown or replayed nonce with badNonce (S-NONCE-05)",
          "[wfe][jws]") {
  AuthFixture f;
  SECTION("a replayed JWS") {
    const json body = support::SignFlattened(f.account_key, f.KidHeader(), "");
    REQUIRE(f.Verify(body).ok());
    CheckProblem(f.Verify(body), ProblemType::kBadNonce, 400);
  }
  SECTION("a nonce this server never issued") {
    json header = f.KidHeader();
    header["nonce"] = "bm90LWlzc3VlZA";
    CheckProblem(f.Verify(support::SignFlattened(f.account_key, header, "")),
                 ProblemType::kBadNonce, 400);
  }
  SECTION("the nonce is checked before the url") {
    json header = f.KidHeader("https://ca.test/elsewhere");
    header["nonce"] = "bm90LWlzc3VlZA";
    CheckProblem(f.Verify(support::SignFlattened(f.account_key, header, "")),
                 ProblemType::kBadNonce, 400);
  }
}

TEST_CASE("A url mismatch is unauthorized, after the nonce is struck (S-JWS-09)", "[wfe][jws]") {
  AuthFixture f;
  const std::string url = GENERATE(as<std::string>(), "https://ca.test/order-plz/",
                                   "https://CA.test/order-plz", "http://ca.test/order-plz");
  const json header = f.KidHeader(url);
  auto post = f.Verify(support::SignFlattened(f.account_key, header, ""));
  CheckProblem(post, ProblemType::kUnauthorized, 403);
  CHECK_THAT(post.error().detail, Catch::Contains(url) && Catch::Contains(kUrl));
  CHECK_FALSE(f.nonces.Redeem(header["nonce"].get<std::string>()));
}

TEST_CASE("The checks run in order: the first failure wins", "[wfe][jws]") {
  AuthFixture f;
  SECTION("wrong key style before an unknown kid") {
    const json header = f.Header(f.account_key, kUrl, kAccountPrefix + "nobody");
    CheckProblem(f.Verify(support::SignFlattened(f.account_key, header, ""), KeyStyle::kJwk),
                 ProblemType::kMalformed, 400);
  }
  SECTION("unknown kid before the signature") {
    const json header = f.Header(f.account_key, kUrl, kAccountPrefix + "nobody");
    json body = support::SignFlattened(f.account_key, header, "");
    body["signature"] = support::Base64Url(std::string(64, 'x'));
    CheckProblem(f.Verify(body), ProblemType::kAccountDoesNotExist, 400);
  }
  SECTION("a deactivated account before the signature") {
    f.SetStatus(AccountStatus::kDeactivated);
    json body = support::SignFlattened(f.account_key, f.KidHeader(), "");
    body["signature"] = support::Base64Url(std::string(64, 'x'));
    CheckProblem(f.Verify(body), ProblemType::kUnauthorized, 401);
  }
  SECTION("the signature before the nonce (S-NONCE-08)") {
    json header = f.KidHeader("https://ca.test/elsewhere");
    header["nonce"] = "bm90LWlzc3VlZA";
    json body = support::SignFlattened(f.account_key, header, "");
    body["signature"] = support::Base64Url(std::string(64, 'x'));
    CheckProblem(f.Verify(body), ProblemType::kMalformed, 400);
  }
}

TEST_CASE("DecodePayload requires a JSON object (S-PAG-02)", "[wfe][jws]") {
  AuthFixture f;
  auto verify = [&f](const std::string& payload) {
    auto post = f.Verify(support::SignFlattened(f.account_key, f.KidHeader(), payload));
    REQUIRE(post.ok());
    return std::move(post).value();
  };
  SECTION("an object") {
    auto payload = DecodePayload(verify(R"({"status":"deactivated"})"));
    REQUIRE(payload.ok());
    CHECK(*payload == json{{"status", "deactivated"}});
    CHECK(DecodePayload(verify("{}")).ok());
  }
  SECTION("empty (POST-as-GET), not JSON, or not an object") {
    const std::string payload =
        GENERATE(as<std::string>(), "", "not json", "[]", "null", "\"text\"", "{\"a\":");
    CheckProblem(DecodePayload(verify(payload)), ProblemType::kMalformed, 400);
  }
}

TEST_CASE("RequirePostAsGet requires an empty payload (S-PAG-01, S-PAG-02)", "[wfe][jws]") {
  AuthFixture f;
  auto verify = [&f](const std::string& payload) {
    auto post = f.Verify(support::SignFlattened(f.account_key, f.KidHeader(), payload));
    REQUIRE(post.ok());
    return std::move(post).value();
  };
  CHECK(RequirePostAsGet(verify("")).ok());
  const std::string payload = GENERATE(as<std::string>(), "{}", " ", "null");
  CheckProblem(RequirePostAsGet(verify(payload)), ProblemType::kMalformed, 400);
}

}  // namespace

namespace {

TEST_CASE("Strict mode refuses a payload with a non-empty \"resource\" (Pebble -strict)",
          "[wfe][jws]") {
  AuthFixture f;
  JwsAuthenticator strict{f.store, f.nonces, mockca::wfe::AccountUrl, mockca::wfe::AccountIdFromUrl,
                          true};
  // mockca's account URL scheme at Host ca.test.
  const std::string kid = mockca::wfe::AccountUrl("https://ca.test", f.account_id);
  auto verify = [&](const JwsAuthenticator& auth, const std::string& payload) {
    const json header = f.Header(f.account_key, kUrl, kid);
    return auth.VerifyPost(
        AuthFixture::Post(support::SignFlattened(f.account_key, header, payload)), kUrl,
        KeyStyle::kKid);
  };
  CheckProblem(verify(strict, R"({"resource":"new-order","identifiers":[]})"),
               ProblemType::kMalformed, 400);
  CheckProblem(verify(strict, R"({"Resource":"new-order"})"), ProblemType::kMalformed, 400);
  CHECK(verify(strict, R"({"resource":""})").ok());
  CHECK(verify(strict, R"({"identifiers":[]})").ok());
  CHECK(verify(strict, "").ok());                             // POST-as-GET
  CHECK(verify(f.auth, R"({"resource":"new-order"})").ok());  // not strict: ignored
}

}  // namespace

}  // namespace jws_auth_test
