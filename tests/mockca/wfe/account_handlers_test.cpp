#include "mockca/wfe/account_handlers.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "tests/support/jws_signer.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace account_handlers_test {

namespace {

using mockca::wfe::AccountPolicy;
using nlohmann::json;
using support::Body;
using support::CheckProblemWithNonce;
using support::HeaderOf;
using support::KeyKind;
using support::kWfeBase;
using support::SharedKey;
using support::TestKey;

const std::string kNewAccountUrl = kWfeBase + "/sign-me-up";
const std::string kKeyChangeUrl = kWfeBase + "/rollover-account-key";

// The WFE with the account routes only.
struct Fixture : support::WfeFixture {
  const TestKey& new_key = SharedKey(KeyKind::kEd25519);

  explicit Fixture(AccountPolicy policy = {}) : WfeFixture(11) {
    mockca::wfe::AddAccountRoutes(router, store, auth, std::move(policy));
  }

  http::Response NewAccount(const TestKey& signer, const json& payload) {
    return Post(signer, kNewAccountUrl, payload.dump());
  }
};

TEST_CASE("newAccount creates an account: 201, Location, Pebble's shape (S-ACCT-01, S-ACCT-02)",
          "[wfe][account]") {
  Fixture f;
  const http::Response response = f.NewAccount(f.key, {{"termsOfServiceAgreed", true},
                                                       {"contact", {"mailto:admin@example.org"}},
                                                       {"onlyReturnExisting", false},
                                                       {"orders", "https://evil.test/x"},
                                                       {"foo", 1}});
  REQUIRE(response.status == 201);
  const std::string location = HeaderOf(response, "Location");
  REQUIRE(location.starts_with(kWfeBase + "/my-account/"));
  const std::string id = location.substr((kWfeBase + "/my-account/").size());
  CHECK(Body(response) == json{{"status", "valid"},
                               {"contact", {"mailto:admin@example.org"}},
                               {"termsOfServiceAgreed", true},
                               {"orders", kWfeBase + "/list-orderz/" + id}});
  CHECK_FALSE(HeaderOf(response, "Replay-Nonce").empty());
  const auto stored = f.store.GetAccount(id);
  REQUIRE(stored.has_value());
  CHECK(stored->key_jwk == f.key.PublicJwk());
}

TEST_CASE("newAccount omits an empty contact and ToS when not required (S-ACCT-01, S-ACCT-06)",
          "[wfe][account]") {
  Fixture f(AccountPolicy{.terms_required = false});
  const http::Response response = f.NewAccount(f.key, json::object());
  REQUIRE(response.status == 201);
  CHECK_FALSE(Body(response).contains("contact"));
  CHECK_FALSE(Body(response).contains("termsOfServiceAgreed"));
}

TEST_CASE("newAccount with a registered key returns it unchanged with 200 (S-ACCT-03)",
          "[wfe][account]") {
  Fixture f;
  const std::string url = f.Register(f.key);
  // No ToS agreement needed, new contacts ignored; onlyReturnExisting finds it too (S-ACCT-04).
  const json payload =
      GENERATE(json{{"contact", {"mailto:new@example.org"}}}, json{{"onlyReturnExisting", true}});
  const http::Response response = f.NewAccount(f.key, payload);
  CHECK(response.status == 200);
  CHECK(HeaderOf(response, "Location") == url);
  CHECK_FALSE(Body(response).contains("contact"));
  CHECK(f.store.Counts().accounts == 1);
}

TEST_CASE("onlyReturnExisting without an account is accountDoesNotExist (S-ACCT-04)",
          "[wfe][account]") {
  Fixture f;
  CheckProblemWithNonce(
      f.NewAccount(f.key, {{"onlyReturnExisting", true}, {"termsOfServiceAgreed", true}}), 400,
      "accountDoesNotExist");
  CHECK(f.store.Counts().accounts == 0);
}

TEST_CASE("newAccount refuses bad requests (S-JWS-08, S-PAG-02)", "[wfe][account]") {
  Fixture f;
  SECTION("non-boolean flags") {
    const json payload =
        GENERATE(json{{"onlyReturnExisting", "yes"}}, json{{"termsOfServiceAgreed", 1}});
    CheckProblemWithNonce(f.NewAccount(f.key, payload), 400, "malformed");
  }
  SECTION("POST-as-GET") {
    CheckProblemWithNonce(f.Post(f.key, kNewAccountUrl, ""), 400, "malformed");
  }
  SECTION("signed by kid") {
    const std::string url = f.Register(f.key);
    CheckProblemWithNonce(f.Post(f.key, kNewAccountUrl, "{}", url), 400, "malformed");
  }
  CHECK(f.store.Counts().accounts <= 1);
}

TEST_CASE("newAccount validates contacts (S-ACCT-05)", "[wfe][account]") {
  Fixture f;
  const auto [contact, type] = GENERATE(table<json, std::string>({
      {{"tel:+15555550100"}, "unsupportedContact"},
      {{"https://example.org"}, "unsupportedContact"},
      {{"mailto:a@example.org?subject=x"}, "invalidContact"},
      {{"mailto:a@example.org,b@example.org"}, "invalidContact"},
      {{"mailto:"}, "invalidContact"},
      {{"mailto:no-at-sign"}, "invalidContact"},
      {{"mailto:a b@example.org"}, "invalidContact"},
      {{"mailto:a@b@example.org"}, "invalidContact"},
      {"mailto:a@example.org", "malformed"},
      {{1}, "malformed"},
  }));
  CheckProblemWithNonce(f.NewAccount(f.key, {{"termsOfServiceAgreed", true}, {"contact", contact}}),
                        400, type);
  CHECK(f.store.Counts().accounts == 0);
}

TEST_CASE("newAccount without ToS agreement is userActionRequired with a Link (S-ACCT-06)",
          "[wfe][account]") {
  Fixture f;
  const json payload = GENERATE(json::object(), json{{"termsOfServiceAgreed", false}});
  const http::Response response = f.NewAccount(f.key, payload);
  CheckProblemWithNonce(response, 403, "userActionRequired");
  CHECK(HeaderOf(response, "Link") ==
        "<data:text/plain,Do%20what%20thou%20wilt>;rel=\"terms-of-service\"");
  CHECK(f.store.Counts().accounts == 0);
}

TEST_CASE("POST-as-GET on the account URL returns the account (S-ACCT-09)", "[wfe][account]") {
  Fixture f;
  const std::string url = f.Register(f.key);
  const http::Response response = f.Post(f.key, url, "", url);
  CHECK(response.status == 200);
  CHECK(Body(response)["status"] == "valid");
}

TEST_CASE("An account cannot act on another account's URL (S-ACCT-08, S-ACCT-10)",
          "[wfe][account]") {
  Fixture f;
  const std::string mine = f.Register(f.key);
  const std::string theirs = f.Register(f.other_key);
  const std::string payload = GENERATE(as<std::string>(), "", R"({"status":"deactivated"})");
  CheckProblemWithNonce(f.Post(f.key, theirs, payload, mine), 403, "unauthorized");
  CHECK(f.Post(f.other_key, theirs, "", theirs).status == 200);  // still valid
}

TEST_CASE("An account update applies contact and ignores the rest (S-ACCT-08)", "[wfe][account]") {
  Fixture f;
  const std::string url = f.Register(f.key);
  SECTION("contact is replaced") {
    const http::Response response =
        f.Post(f.key, url, R"({"contact":["mailto:b@example.org"],"orders":"x","foo":1})", url);
    CHECK(response.status == 200);
    CHECK(Body(response)["contact"] == json{"mailto:b@example.org"});
    CHECK(Body(response)["orders"] != "x");
  }
  SECTION("nothing to change") {
    const http::Response response =
        f.Post(f.key, url, R"({"termsOfServiceAgreed":false,"foo":1})", url);
    CHECK(response.status == 200);
    CHECK(Body(response)["termsOfServiceAgreed"] == true);
  }
  SECTION("a bad contact changes nothing (S-ACCT-05)") {
    CheckProblemWithNonce(f.Post(f.key, url, R"({"contact":["tel:1"]})", url), 400,
                          "unsupportedContact");
  }
  SECTION("a status other than deactivated is ignored (S-ACCT-08)") {
    const std::string payload = GENERATE(as<std::string>(), R"({"status":"valid"})",
                                         R"({"status":"revoked"})", R"({"status":1})");
    const http::Response response = f.Post(f.key, url, payload, url);
    CHECK(response.status == 200);
    CHECK(Body(response)["status"] == "valid");
  }
}

TEST_CASE("Deactivation returns the deactivated account, the key is then refused (S-ACCT-10)",
          "[wfe][account]") {
  Fixture f;
  const std::string url = f.Register(f.key);
  const http::Response response = f.Post(f.key, url, R"({"status":"deactivated"})", url);
  CHECK(response.status == 200);
  CHECK(Body(response)["status"] == "deactivated");
  CheckProblemWithNonce(f.Post(f.key, url, "", url), 401, "unauthorized");
  // No revival through newAccount: 401 as for any request by the account (S-JWS-10; Pebble: 403).
  CheckProblemWithNonce(f.NewAccount(f.key, {{"termsOfServiceAgreed", true}}), 401, "unauthorized");
  CHECK(f.store.Counts().accounts == 1);
}

// keyChange (RFC 8555 §7.3.5): an inner JWS signed by the new key, inside an outer kid request.
struct Rollover : Fixture {
  std::string url = Register(key);

  static json Inner(const TestKey& signer, const std::string& inner_url, const json& payload) {
    json header = {{"alg", signer.DefaultAlg()}, {"jwk", signer.PublicJwk()}, {"url", inner_url}};
    return support::SignFlattened(signer, header, payload.dump());
  }
  json InnerPayload(const TestKey& old_key) const {
    return {{"account", url}, {"oldKey", old_key.PublicJwk()}};
  }
  http::Response Change(const json& inner) { return Post(key, kKeyChangeUrl, inner.dump(), url); }
};

TEST_CASE("keyChange replaces the key (S-KEY-06)", "[wfe][account][key]") {
  Rollover f;
  const http::Response response =
      f.Change(Rollover::Inner(f.new_key, kKeyChangeUrl, f.InnerPayload(f.key)));
  CHECK(response.status == 200);
  CHECK(Body(response)["status"] == "valid");
  // The old key no longer authenticates (ES256 does not suit the new Ed25519 key, S-JWS-07).
  CheckProblemWithNonce(f.Post(f.key, f.url, "", f.url), 400, "badPublicKey");
  CHECK(f.Post(f.new_key, f.url, "", f.url).status == 200);
  const http::Response again = f.NewAccount(f.new_key, json::object());  // S-ACCT-03
  CHECK(again.status == 200);
  CHECK(HeaderOf(again, "Location") == f.url);
  CHECK(f.NewAccount(f.key, {{"termsOfServiceAgreed", true}}).status == 201);  // key freed
}

TEST_CASE("keyChange to a key of another account is 409 with its Location (S-KEY-05)",
          "[wfe][account][key]") {
  Rollover f;
  const std::string theirs = f.Register(f.other_key);
  const http::Response response =
      f.Change(Rollover::Inner(f.other_key, kKeyChangeUrl, f.InnerPayload(f.key)));
  CHECK(response.status == 409);
  CHECK(HeaderOf(response, "Location") == theirs);
  CHECK(f.Post(f.key, f.url, "", f.url).status == 200);  // unchanged
}

TEST_CASE("keyChange refuses a new key equal to the old one (S-KEY-05)", "[wfe][account][key]") {
  Rollover f;
  CheckProblemWithNonce(f.Change(Rollover::Inner(f.key, kKeyChangeUrl, f.InnerPayload(f.key))), 400,
                        "malformed");
}

TEST_CASE("keyChange checks the inner JWS (S-KEY-01..04)", "[wfe][account][key]") {
  Rollover f;
  SECTION("S-KEY-01: the payload is not a flattened JWS") {
    const json payload = GENERATE(json::object(), json{{"protected", 1}}, json::array());
    CheckProblemWithNonce(f.Change(payload), 400, "malformed");
    CheckProblemWithNonce(f.Post(f.key, kKeyChangeUrl, "", f.url), 400, "malformed");
  }
  SECTION("S-KEY-01: the outer JWS must use kid") {
    const json inner = Rollover::Inner(f.new_key, kKeyChangeUrl, f.InnerPayload(f.key));
    CheckProblemWithNonce(f.Post(f.key, kKeyChangeUrl, inner.dump()), 400, "malformed");
  }
  SECTION("S-KEY-02: the inner JWS uses kid") {
    json header = {{"alg", "ES256"}, {"kid", f.url}, {"url", kKeyChangeUrl}};
    CheckProblemWithNonce(
        f.Change(support::SignFlattened(f.new_key, header, f.InnerPayload(f.key).dump())), 400,
        "malformed");
  }
  SECTION("S-KEY-02: the inner signature is not the new key's") {
    json inner = Rollover::Inner(f.new_key, kKeyChangeUrl, f.InnerPayload(f.key));
    inner["signature"] =
        Rollover::Inner(f.other_key, kKeyChangeUrl, f.InnerPayload(f.key))["signature"];
    const http::Response response = f.Change(inner);
    CheckProblemWithNonce(response, 400, "malformed");
    CHECK(Body(response)["detail"].get<std::string>().starts_with("inner JWS: "));
  }
  SECTION("S-KEY-02: an unsupported inner alg") {
    json header = {{"alg", "HS256"}, {"jwk", f.new_key.PublicJwk()}, {"url", kKeyChangeUrl}};
    CheckProblemWithNonce(
        f.Change(support::SignFlattened(f.new_key, header, f.InnerPayload(f.key).dump())), 400,
        "badSignatureAlgorithm");
  }
  SECTION("S-KEY-03: the inner url differs") {
    CheckProblemWithNonce(
        f.Change(Rollover::Inner(f.new_key, kWfeBase + "/other", f.InnerPayload(f.key))), 400,
        "malformed");
  }
  SECTION("S-KEY-03: the inner JWS has a nonce") {
    json header = support::AcmeHeader(f.new_key, kKeyChangeUrl);
    header["nonce"] = f.nonces.Issue();
    CheckProblemWithNonce(
        f.Change(support::SignFlattened(f.new_key, header, f.InnerPayload(f.key).dump())), 400,
        "malformed");
  }
  SECTION("S-KEY-04: account is not the outer kid") {
    json payload = f.InnerPayload(f.key);
    payload["account"] = GENERATE(as<std::string>(), "https://ca.test/my-account/x", "");
    CheckProblemWithNonce(f.Change(Rollover::Inner(f.new_key, kKeyChangeUrl, payload)), 400,
                          "malformed");
  }
  SECTION("S-KEY-04: oldKey is not the current key, or missing") {
    const json payload = GENERATE_REF(json{{"account", f.url}, {"oldKey", f.other_key.PublicJwk()}},
                                      json{{"account", f.url}}, json("x"));
    CheckProblemWithNonce(f.Change(Rollover::Inner(f.new_key, kKeyChangeUrl, payload)), 400,
                          "malformed");
  }
  CHECK(f.Post(f.key, f.url, "", f.url).status == 200);  // the key is unchanged
}

TEST_CASE("Account URLs follow the request's Host (S-HTTP-01, S-ACCT-01)", "[wfe][account]") {
  CHECK(mockca::wfe::AccountUrl("https://h.test", "abc") == "https://h.test/my-account/abc");
  CHECK(mockca::wfe::AccountIdFromUrl("https://h.test/my-account/abc") == "abc");
  CHECK_FALSE(mockca::wfe::AccountIdFromUrl("https://h.test/my-order/abc").has_value());
  Fixture f;
  const std::string other = "https://other.test";
  json header = support::AcmeHeader(f.key, other + "/sign-me-up");
  header["nonce"] = f.nonces.Issue();
  const http::Response response = f.router.Dispatch(
      support::JosePost("other.test", "/sign-me-up",
                        support::SignFlattened(f.key, header, R"({"termsOfServiceAgreed":true})")));
  CHECK(response.status == 201);
  CHECK(HeaderOf(response, "Location").starts_with(other + "/my-account/"));
  CHECK(Body(response)["orders"].get<std::string>().starts_with(other + "/list-orderz/"));
}

TEST_CASE("keyChange by a deactivated account is 401 (S-KEY-01, S-ACCT-10)",
          "[wfe][account][key]") {
  Rollover f;
  REQUIRE(f.Post(f.key, f.url, R"({"status":"deactivated"})", f.url).status == 200);
  CheckProblemWithNonce(f.Change(Rollover::Inner(f.new_key, kKeyChangeUrl, f.InnerPayload(f.key))),
                        401, "unauthorized");
  CHECK(f.NewAccount(f.new_key, {{"termsOfServiceAgreed", true}}).status == 201);  // key unused
}

}  // namespace

}  // namespace account_handlers_test
