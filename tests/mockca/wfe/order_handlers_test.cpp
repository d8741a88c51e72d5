#include "mockca/wfe/order_handlers.hpp"

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/ascii.hpp"
#include "common/rfc3339.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace order_handlers_test {

namespace {

using mockca::wfe::OrderPolicy;
using nlohmann::json;
using support::Body;
using support::CheckProblemWithNonce;
using support::HeaderOf;
using support::kWfeBase;

const std::string kNewOrderUrl = kWfeBase + "/order-plz";

// The id at the end of a URL.
std::string IdOf(const std::string& url) {
  return url.substr(url.rfind('/') + 1);
}

json Dns(const std::string& value) {
  return {{"type", "dns"}, {"value", value}};
}

std::set<std::string> ChallengeTypes(const json& authz) {
  std::set<std::string> types;
  for (const json& challenge : authz["challenges"]) {
    types.insert(challenge["type"].get<std::string>());
  }
  return types;
}

// The WFE with the account and order routes, and an account for each of key and other_key.
struct Fixture : support::WfeFixture {
  std::string account;        // the URL of key's account
  std::string other_account;  // the URL of other_key's account

  explicit Fixture(OrderPolicy policy = {}) : WfeFixture(12) {
    mockca::wfe::AddAccountRoutes(router, store, auth);
    mockca::wfe::AddOrderRoutes(router, store, auth, clock, policy);
    account = Register(key);
    other_account = Register(other_key);
  }

  // As key's account unless told otherwise.
  http::Response Get(const std::string& url) { return Post(key, url, "", account); }
  http::Response NewOrder(const json& payload) {
    return Post(key, kNewOrderUrl, payload.dump(), account);
  }
  // A created order: its URL.
  std::string Order(const std::vector<json>& identifiers) {
    const http::Response response = NewOrder({{"identifiers", json(identifiers)}});
    REQUIRE(response.status == 201);
    return HeaderOf(response, "Location");
  }
  // Marks the stored authorization valid through its first challenge, as the VA would: the
  // challenge goes pending -> processing -> valid (the store refuses pending -> valid).
  void Validate(const std::string& authz_url) {
    const auto stored = store.GetAuthorization(IdOf(authz_url));
    REQUIRE(stored.has_value());
    if (stored->challenges.front().status == mockca::core::ChallengeStatus::kPending) {
      StartValidating(authz_url);
    }
    auto updated =
        store.UpdateAuthorization(IdOf(authz_url), [this](mockca::core::Authorization& authz) {
          authz.challenges.front().status = mockca::core::ChallengeStatus::kValid;
          authz.challenges.front().validated = clock.Now();
          authz.status = mockca::core::AuthzStatus::kValid;
          authz.expires = clock.Now() + std::chrono::hours(720);
          return mockca::acme::Status();
        });
    REQUIRE(updated.ok());
  }
  void StartValidating(const std::string& authz_url) {
    auto updated = store.UpdateAuthorization(IdOf(authz_url), [](mockca::core::Authorization& a) {
      a.challenges.front().status = mockca::core::ChallengeStatus::kProcessing;
      return mockca::acme::Status();
    });
    REQUIRE(updated.ok());
  }
};

TEST_CASE("newOrder creates a pending order: 201, Location, S-ORD-03 shape (S-ORD-01)",
          "[order_handlers]") {
  Fixture f;
  const http::Response response =
      f.NewOrder({{"identifiers", {Dns("www.Example.org"), Dns("example.org")}}, {"unknown", 1}});
  REQUIRE(response.status == 201);
  const std::string location = HeaderOf(response, "Location");
  REQUIRE(location.starts_with(kWfeBase + "/my-order/"));
  const json body = Body(response);
  CHECK(body["status"] == "pending");
  CHECK(body["expires"] == common::FormatRfc3339(f.clock.Now() + std::chrono::hours(24)));
  CHECK(body["identifiers"] ==
        json::array({Dns("www.example.org"), Dns("example.org")}));  // lowercased (S-ORD-08)
  CHECK(body["finalize"] == kWfeBase + "/finalize-order/" + IdOf(location));
  CHECK_FALSE(body.contains("notBefore"));
  CHECK_FALSE(body.contains("certificate"));
  CHECK_FALSE(body.contains("profile"));  // no profile is offered by default
  REQUIRE(body["authorizations"].size() == 2);
  for (const json& url : body["authorizations"]) {
    REQUIRE(url.get<std::string>().starts_with(kWfeBase + "/authZ/"));
    const http::Response authz = f.Get(url);
    REQUIRE(authz.status == 200);
    const json shown = Body(authz);
    CHECK(shown["status"] == "pending");
    CHECK(shown["expires"] == common::FormatRfc3339(f.clock.Now() + std::chrono::hours(1)));
    CHECK_FALSE(shown.contains("wildcard"));  // S-AUTHZ-01
    CHECK(ChallengeTypes(shown) == std::set<std::string>{"http-01", "dns-01", "tls-alpn-01"});
    for (const json& challenge : shown["challenges"]) {
      CHECK(challenge["token"].get<std::string>().size() == 43);  // 256 bits, base64url
    }
  }
  // The same order on a fetch (S-ORD-04).
  const http::Response fetched = f.Get(location);
  REQUIRE(fetched.status == 200);
  CHECK(Body(fetched) == body);
}

TEST_CASE(
    "a wildcard order's authz: identifier without '*', wildcard:true, dns-01 only "
    "(S-ORD-07, S-AUTHZ-01, S-AUTHZ-02, S-CHAL-12)",
    "[order_handlers]") {
  Fixture f;
  const http::Response response = f.NewOrder({{"identifiers", {Dns("*.Example.org")}}});
  REQUIRE(response.status == 201);
  const json order = Body(response);
  CHECK(order["identifiers"] == json::array({Dns("*.example.org")}));
  const json authz = Body(f.Get(order["authorizations"][0]));
  CHECK(authz["identifier"] == Dns("example.org"));
  CHECK(authz["wildcard"] == true);
  CHECK(ChallengeTypes(authz) == std::set<std::string>{"dns-01"});
}

TEST_CASE("ip identifiers get http-01 and tls-alpn-01 (RFC 8738, S-CHAL-12)", "[order_handlers]") {
  Fixture f;
  const http::Response response = f.NewOrder({{"identifiers",
                                               {json{{"type", "ip"}, {"value", "2001:db8::1"}},
                                                json{{"type", "ip"}, {"value", "2001:db8::1"}},
                                                json{{"type", "ip"}, {"value", "192.0.2.1"}}}}});
  REQUIRE(response.status == 201);
  const json order = Body(response);
  CHECK(order["identifiers"] == json::array({json{{"type", "ip"}, {"value", "2001:db8::1"}},
                                             json{{"type", "ip"}, {"value", "192.0.2.1"}}}));
  REQUIRE(order["authorizations"].size() == 2);  // deduplicated (S-ORD-08 POL)
  const json authz = Body(f.Get(order["authorizations"][0]));
  CHECK(authz["identifier"] == json{{"type", "ip"}, {"value", "2001:db8::1"}});
  CHECK(ChallengeTypes(authz) == std::set<std::string>{"http-01", "tls-alpn-01"});
}

TEST_CASE("newOrder refuses bad identifiers (S-ORD-02, S-ORD-08, S-ERR-03)", "[order_handlers]") {
  Fixture f;
  SECTION("several bad identifiers become subproblems") {
    const http::Response response = f.NewOrder(
        {{"identifiers",
          {Dns("ok.example"), Dns("a..example"), json{{"type", "email"}, {"value", "x@y.z"}}}}});
    CheckProblemWithNonce(response, 400, "malformed");
    const json body = Body(response);
    CHECK_FALSE(body.contains("identifier"));
    REQUIRE(body["subproblems"].size() == 2);
    CHECK(body["subproblems"][0]["type"] == "urn:ietf:params:acme:error:malformed");
    CHECK(body["subproblems"][0]["identifier"] == Dns("a..example"));
    CHECK(body["subproblems"][1]["type"] == "urn:ietf:params:acme:error:unsupportedIdentifier");
    CHECK(body["subproblems"][1]["identifier"] == json{{"type", "email"}, {"value", "x@y.z"}});
  }
  SECTION("one bad identifier of each kind") {
    const auto [identifier, type] = GENERATE(table<json, std::string>({
        {Dns("192.0.2.1"), "malformed"},
        {Dns("example.org."), "malformed"},
        {Dns("a.*.example.org"), "malformed"},
        {json{{"type", "ip"}, {"value", "example.org"}}, "malformed"},
        {json{{"type", "email"}, {"value", "x@y.z"}}, "unsupportedIdentifier"},
    }));
    const http::Response response = f.NewOrder({{"identifiers", {identifier}}});
    CheckProblemWithNonce(response, 400, type);
    CHECK(Body(response)["subproblems"][0]["identifier"] == identifier);
  }
  SECTION("no usable identifiers list") {
    const json payload = GENERATE(json::object(), json{{"identifiers", json::array()}},
                                  json{{"identifiers", "example.org"}},
                                  json{{"identifiers", {json{{"type", "dns"}}}}});
    CheckProblemWithNonce(f.NewOrder(payload), 400, "malformed");
  }
  SECTION("a profile, none being advertised (S-PROF-02)") {
    CheckProblemWithNonce(
        f.NewOrder({{"identifiers", {Dns("ok.example")}}, {"profile", "shortlived"}}), 400,
        "invalidProfile");
  }
  CHECK(f.store.Counts().orders == 0);
  CHECK(f.store.Counts().authorizations == 0);
}

// Pebble's shipped config: default (90 days) and shortlived (6 days).
mockca::core::ProfileTable TwoProfiles() {
  return {{"default", {"The profile you know and love", std::chrono::days(90), false}},
          {"shortlived", {"A short-lived cert profile", std::chrono::days(6), false}}};
}

TEST_CASE("newOrder takes an offered profile and shows it on the order (S-PROF-02, S-PROF-03)",
          "[order_handlers][profile]") {
  Fixture f(OrderPolicy{.profiles = TwoProfiles()});
  const std::string name = GENERATE("default", "shortlived");
  const http::Response response =
      f.NewOrder({{"identifiers", {Dns("example.org")}}, {"profile", name}});
  REQUIRE(response.status == 201);
  CHECK(Body(response)["profile"] == name);
  CHECK(Body(f.Get(HeaderOf(response, "Location")))["profile"] == name);
  const auto stored = f.store.GetOrder(IdOf(HeaderOf(response, "Location")));
  REQUIRE(stored.has_value());
  CHECK(stored->profile == name);
}

TEST_CASE("newOrder without a profile gets the default one, deterministically (S-PROF-03)",
          "[order_handlers][profile]") {
  using mockca::core::Profile;
  struct Case {
    const char* name;
    mockca::core::ProfileTable profiles;
    const char* assigned;
  };
  const Profile any{"d", std::chrono::days(1), false};
  const std::vector<Case> cases = {
      {"\"default\" when offered, whatever its rank", TwoProfiles(), "default"},
      {"\"default\" among later names", {{"a", any}, {"default", any}, {"z", any}}, "default"},
      {"else the first name in sorted order",
       {{"zeta", any}, {"Beta", any}, {"alpha", any}},
       "Beta"},
  };
  for (const Case& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      Fixture f(OrderPolicy{.profiles = tc.profiles});
      for (const json& payload :
           {json{{"identifiers", {Dns("example.org")}}},
            json{{"identifiers", {Dns("example.org")}}, {"profile", nullptr}}}) {
        for (int round = 0; round < 5; ++round) {  // Pebble's choice would be random
          const http::Response response = f.NewOrder(payload);
          REQUIRE(response.status == 201);
          CHECK(Body(response)["profile"] == tc.assigned);
        }
      }
    }
  }
}

TEST_CASE("newOrder refuses a profile that is not offered (S-PROF-02)",
          "[order_handlers][profile]") {
  Fixture f(OrderPolicy{.profiles = TwoProfiles()});
  SECTION("unknown or differently spelled: invalidProfile, naming what is offered") {
    const std::string name = GENERATE("classic", "Default", "", "default ");
    const http::Response response =
        f.NewOrder({{"identifiers", {Dns("example.org")}}, {"profile", name}});
    CheckProblemWithNonce(response, 400, "invalidProfile");
    const std::string detail = Body(response)["detail"];
    CHECK(detail.find("\"default\", \"shortlived\"") != std::string::npos);
  }
  SECTION("not a string: malformed") {
    const json name = GENERATE(json(1), json::array({"default"}), json{{"name", "default"}});
    CheckProblemWithNonce(f.NewOrder({{"identifiers", {Dns("example.org")}}, {"profile", name}}),
                          400, "malformed");
  }
  CHECK(f.store.Counts().orders == 0);
  CHECK(f.store.Counts().authorizations == 0);
}

TEST_CASE("notBefore/notAfter are echoed as sent or refused (S-ORD-01, S-ORD-02)",
          "[order_handlers]") {
  Fixture f;
  SECTION("echoed") {
    const http::Response response = f.NewOrder({{"identifiers", {Dns("example.org")}},
                                                {"notBefore", "2030-01-01T00:00:00+01:00"},
                                                {"notAfter", "2030-02-01T00:00:00.5Z"}});
    REQUIRE(response.status == 201);
    CHECK(Body(response)["notBefore"] == "2030-01-01T00:00:00+01:00");
    CHECK(Body(response)["notAfter"] == "2030-02-01T00:00:00.5Z");
    CHECK(Body(f.Get(HeaderOf(response, "Location")))["notAfter"] == "2030-02-01T00:00:00.5Z");
  }
  SECTION("refused") {
    const json times = GENERATE(
        json{{"notBefore", "tomorrow"}}, json{{"notAfter", 5}}, json{{"notBefore", "2030-01-01"}},
        json{{"notBefore", "2030-01-02T00:00:00Z"}, {"notAfter", "2030-01-01T00:00:00Z"}},
        json{{"notBefore", "2030-01-01T00:00:00Z"}, {"notAfter", "2030-01-01T01:00:00+01:00"}});
    json payload = times;
    payload["identifiers"] = {Dns("example.org")};
    CheckProblemWithNonce(f.NewOrder(payload), 400, "malformed");
    CHECK(f.store.Counts().orders == 0);
  }
}

TEST_CASE("newOrder needs a kid-signed JSON body (S-PAG-02, S-JWS-08)", "[order_handlers]") {
  Fixture f;
  CheckProblemWithNonce(f.Post(f.key, kNewOrderUrl, "", f.account), 400, "malformed");
  CheckProblemWithNonce(f.Post(f.key, kNewOrderUrl, "[]", f.account), 400, "malformed");
  CheckProblemWithNonce(
      f.Post(f.key, kNewOrderUrl, json{{"identifiers", {Dns("a.example")}}}.dump(), ""), 400,
      "malformed");
  CHECK(f.store.Counts().orders == 0);
}

TEST_CASE("a valid authorization is reused by the next order, unless disabled (S-ORD-09)",
          "[order_handlers]") {
  const bool reuse = GENERATE(true, false);
  Fixture f(OrderPolicy{.reuse_valid_authorizations = reuse});
  const json first = Body(f.Get(f.Order({Dns("a.example"), Dns("*.a.example")})));
  const std::string plain_authz = first["authorizations"][0];
  const std::string wildcard_authz = first["authorizations"][1];
  f.Validate(plain_authz);

  const json second =
      Body(f.Get(f.Order({Dns("*.a.example"), Dns("b.example"), Dns("A.example")})));
  REQUIRE(second["authorizations"].size() == 3);
  const std::vector<std::string> urls = second["authorizations"];
  const bool has_plain = std::find(urls.begin(), urls.end(), plain_authz) != urls.end();
  CHECK(has_plain == reuse);
  // The wildcard authz is pending: never reused; its valid non-wildcard sibling does not count.
  CHECK(std::find(urls.begin(), urls.end(), wildcard_authz) == urls.end());
  if (reuse) {
    CHECK(urls.front() == plain_authz);  // reused ids come first (MemoryStore::AddOrder)
  }
  // Another account never reuses it.
  const http::Response foreign = f.Post(
      f.other_key, kNewOrderUrl, json{{"identifiers", {Dns("a.example")}}}.dump(), f.other_account);
  REQUIRE(foreign.status == 201);
  CHECK(Body(foreign)["authorizations"][0] != plain_authz);
}

TEST_CASE("the order URL is POST-as-GET only and owner-only (S-PAG-01..03)", "[order_handlers]") {
  Fixture f;
  const std::string order = f.Order({Dns("example.org")});
  SECTION("a payload is malformed") {
    const std::string payload = GENERATE(std::string("{}"), std::string("{\"status\":\"x\"}"));
    CheckProblemWithNonce(f.Post(f.key, order, payload, f.account), 400, "malformed");
  }
  SECTION("another account and an unknown id look the same") {
    const http::Response foreign = f.Post(f.other_key, order, "", f.other_account);
    CheckProblemWithNonce(foreign, 404, "malformed");
    const http::Response foreign_payload = f.Post(f.other_key, order, "{}", f.other_account);
    CheckProblemWithNonce(foreign_payload, 404, "malformed");
    const http::Response unknown = f.Get(kWfeBase + "/my-order/nope");
    CheckProblemWithNonce(unknown, 404, "malformed");
    CHECK(Body(foreign)["detail"].get<std::string>().find(IdOf(order)) != std::string::npos);
    CHECK(Body(unknown)["detail"].get<std::string>().find("nope") != std::string::npos);
  }
  SECTION("the authz is owner-only too") {
    const std::string authz = Body(f.Get(order))["authorizations"][0];
    CheckProblemWithNonce(f.Post(f.other_key, authz, "", f.other_account), 404, "malformed");
    CheckProblemWithNonce(
        f.Post(f.other_key, authz, json{{"status", "deactivated"}}.dump(), f.other_account), 404,
        "malformed");
    CheckProblemWithNonce(f.Get(kWfeBase + "/authZ/nope"), 404, "malformed");
    CHECK(Body(f.Get(authz))["status"] == "pending");
  }
}

TEST_CASE(
    "order status follows its authorizations, Retry-After while processing (S-ORD-05, "
    "S-ORD-10)",
    "[order_handlers]") {
  Fixture f;
  const std::string order = f.Order({Dns("example.org")});
  const std::string authz = Body(f.Get(order))["authorizations"][0];
  CHECK(HeaderOf(f.Get(order), "Retry-After").empty());
  f.Validate(authz);
  const http::Response ready = f.Get(order);
  CHECK(Body(ready)["status"] == "ready");
  CHECK(HeaderOf(ready, "Retry-After").empty());
  auto processing = f.store.UpdateOrder(IdOf(order), [](mockca::core::Order& stored) {
    stored.began_processing = true;
    return mockca::acme::Status();
  });
  REQUIRE(processing.ok());
  const http::Response polled = f.Get(order);
  CHECK(Body(polled)["status"] == "processing");
  CHECK(HeaderOf(polled, "Retry-After") == "1");
}

TEST_CASE("no Retry-After when the policy says 0 (S-ORD-10, S-AUTHZ-05)", "[order_handlers]") {
  Fixture f(OrderPolicy{.order_retry_after = std::chrono::seconds(0),
                        .authz_retry_after = std::chrono::seconds(0)});
  const std::string order = f.Order({Dns("example.org")});
  const std::string authz = Body(f.Get(order))["authorizations"][0];
  f.StartValidating(authz);
  CHECK(HeaderOf(f.Get(authz), "Retry-After").empty());
  f.Validate(authz);
  REQUIRE(f.store
              .UpdateOrder(IdOf(order),
                           [](mockca::core::Order& stored) {
                             stored.began_processing = true;
                             return mockca::acme::Status();
                           })
              .ok());
  const http::Response polled = f.Get(order);
  CHECK(Body(polled)["status"] == "processing");
  CHECK(HeaderOf(polled, "Retry-After").empty());
}

TEST_CASE("an authz poll during validation carries Retry-After (S-AUTHZ-05)", "[order_handlers]") {
  Fixture f(OrderPolicy{.authz_retry_after = std::chrono::seconds(3)});
  const std::string authz = Body(f.Get(f.Order({Dns("example.org")})))["authorizations"][0];
  CHECK(HeaderOf(f.Get(authz), "Retry-After").empty());
  f.StartValidating(authz);
  const http::Response polled = f.Get(authz);
  CHECK(polled.status == 200);
  CHECK(Body(polled)["status"] == "pending");
  CHECK(HeaderOf(polled, "Retry-After") == "3");
}

TEST_CASE("deactivating an authz returns it and invalidates the order (S-AUTHZ-06)",
          "[order_handlers]") {
  Fixture f;
  const std::string order = f.Order({Dns("example.org"), Dns("www.example.org")});
  const std::string authz = Body(f.Get(order))["authorizations"][0];
  const bool was_valid = GENERATE(false, true);
  if (was_valid) {
    f.Validate(authz);  // RFC 8555 §7.1.6: valid -> deactivated is allowed too
  }
  const http::Response response =
      f.Post(f.key, authz, json{{"status", "deactivated"}}.dump(), f.account);
  REQUIRE(response.status == 200);
  CHECK(Body(response)["status"] == "deactivated");
  CHECK(Body(response)["identifier"] == Dns("example.org"));
  CHECK(Body(f.Get(authz))["status"] == "deactivated");
  CHECK(Body(f.Get(order))["status"] == "invalid");
  // Final: a second deactivation is refused.
  CheckProblemWithNonce(f.Post(f.key, authz, json{{"status", "deactivated"}}.dump(), f.account),
                        400, "malformed");
}

TEST_CASE("an order failed by a challenge carries that failure as its error (S-ORD-03, S-ERR-03)",
          "[order_handlers]") {
  Fixture f;
  const std::string order = f.Order({Dns("example.org"), Dns("www.example.org")});
  const std::string authz = Body(f.Get(order))["authorizations"][1];
  CHECK_FALSE(Body(f.Get(order)).contains("error"));
  f.StartValidating(authz);
  auto failed = f.store.UpdateAuthorization(IdOf(authz), [](mockca::core::Authorization& a) {
    a.challenges.front().status = mockca::core::ChallengeStatus::kInvalid;
    a.challenges.front().error = std::make_shared<const mockca::acme::Problem>(
        mockca::acme::MakeProblem(mockca::acme::ProblemType::kIncorrectResponse, "wrong body"));
    a.status = mockca::core::AuthzStatus::kInvalid;
    return mockca::acme::Status();
  });
  REQUIRE(failed.ok());
  const json body = Body(f.Get(order));
  CHECK(body["status"] == "invalid");
  CHECK(body["error"]["type"] == "urn:ietf:params:acme:error:incorrectResponse");
  CHECK_FALSE(body["error"].contains("identifier"));
  REQUIRE(body["error"]["subproblems"].size() == 1);
  CHECK(body["error"]["subproblems"][0]["identifier"] == Dns("www.example.org"));
  CHECK(body["error"]["subproblems"][0]["detail"] == "wrong body");
}

TEST_CASE("an authz update other than deactivation is malformed (S-AUTHZ-06)", "[order_handlers]") {
  Fixture f;
  const std::string authz = Body(f.Get(f.Order({Dns("example.org")})))["authorizations"][0];
  const std::string payload =
      GENERATE(std::string("{}"), std::string("{\"status\":\"valid\"}"),
               std::string("{\"status\":\"DEACTIVATED\"}"), std::string("{\"status\":1}"),
               std::string("\"deactivated\""));
  CheckProblemWithNonce(f.Post(f.key, authz, payload, f.account), 400, "malformed");
  CHECK(Body(f.Get(authz))["status"] == "pending");
}

TEST_CASE("expiry: the authz reads expired and the order invalid (S-ORD-05, S-ORD-06)",
          "[order_handlers]") {
  Fixture f;
  const std::string order = f.Order({Dns("example.org")});
  const std::string authz = Body(f.Get(order))["authorizations"][0];
  f.clock.Advance(std::chrono::hours(1) + std::chrono::seconds(1));
  CHECK(Body(f.Get(authz))["status"] == "expired");
  CHECK(Body(f.Get(order))["status"] == "invalid");
  // An expired authz cannot be deactivated.
  CheckProblemWithNonce(f.Post(f.key, authz, json{{"status", "deactivated"}}.dump(), f.account),
                        400, "malformed");
  SECTION("the order's own expiry counts too, even with valid authzs") {
    Fixture g(OrderPolicy{.order_lifetime = std::chrono::minutes(10)});
    const std::string short_order = g.Order({Dns("example.org")});
    g.Validate(Body(g.Get(short_order))["authorizations"][0]);
    CHECK(Body(g.Get(short_order))["status"] == "ready");
    g.clock.Advance(std::chrono::minutes(11));
    CHECK(Body(g.Get(short_order))["status"] == "invalid");
  }
}

TEST_CASE("the orders list pages with rel=next and hides invalid orders (S-ACCT-13, S-LINK-04)",
          "[order_handlers]") {
  Fixture f;
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) {
    created.push_back(f.Order({Dns("host" + std::to_string(i) + ".example")}));
  }
  // Deactivating order 1's authz makes it invalid: it drops out of the list.
  const std::string authz = Body(f.Get(created[1]))["authorizations"][0];
  REQUIRE(f.Post(f.key, authz, json{{"status", "deactivated"}}.dump(), f.account).status == 200);

  const std::string list = kWfeBase + "/list-orderz/" + IdOf(f.account);
  std::vector<std::string> seen;
  std::string next = list;
  int pages = 0;
  while (!next.empty()) {
    const http::Response page = f.Get(next);
    REQUIRE(page.status == 200);
    ++pages;
    const json body = Body(page);
    for (const json& url : body["orders"]) {
      seen.push_back(url);
    }
    CHECK(body["orders"].size() <= 3);
    // The router adds a Link rel="index" too: find rel="next" among the Link headers.
    next.clear();
    for (const auto& [name, value] : page.headers) {
      if (name == "Link" && value.ends_with(";rel=\"next\"")) {
        next = value.substr(1, value.find('>') - 1);
      }
    }
    if (pages == 1) {
      CHECK(next == list + "?page=1");
    }
    REQUIRE(pages <= 3);
  }
  CHECK(pages == 2);
  std::vector<std::string> expected = created;
  expected.erase(expected.begin() + 1);
  CHECK(seen == expected);
  // ?page=0 is the first page.
  CHECK(Body(f.Get(list + "?page=0"))["orders"].size() == 3);
}

TEST_CASE("orders list: bad pages, payloads and other accounts (S-ACCT-13, S-PAG-02, S-PAG-03)",
          "[order_handlers]") {
  Fixture f;
  const std::string list = kWfeBase + "/list-orderz/" + IdOf(f.account);
  SECTION("an account without orders has an empty first page") {
    const http::Response response = f.Get(list);
    REQUIRE(response.status == 200);
    CHECK(Body(response) == json{{"orders", json::array()}});
  }
  SECTION("a bad page number is 404 malformed") {
    f.Order({Dns("example.org")});
    const std::string query =
        GENERATE(std::string("?page=x"), std::string("?page="), std::string("?page=-1"),
                 std::string("?page=1"), std::string("?page=99999999999999999999999"));
    CheckProblemWithNonce(f.Get(list + query), 404, "malformed");
  }
  SECTION("a payload is malformed") {
    CheckProblemWithNonce(f.Post(f.key, list, "{}", f.account), 400, "malformed");
  }
  SECTION("another account's list is 404") {
    f.Order({Dns("example.org")});
    CheckProblemWithNonce(f.Post(f.other_key, list, "", f.other_account), 404, "malformed");
  }
}

}  // namespace

namespace {

// PEBBLE_AUTHZREUSE: 0 never reuses (Pebble still does 1 % of the time), 100 always does, and
// values between draw from the seeded Rng.
TEST_CASE("authz_reuse_percent 0 never reuses, 100 always (S-ORD-09)", "[order_handlers]") {
  const unsigned percent = GENERATE(0u, 100u);
  common::Rng draws(99);
  Fixture f(OrderPolicy{.authz_reuse_percent = percent, .rng = &draws});
  const std::string authz = Body(f.Get(f.Order({Dns("a.example")})))["authorizations"][0];
  f.Validate(authz);
  for (int i = 0; i < 20; ++i) {
    const std::string next = Body(f.Get(f.Order({Dns("a.example")})))["authorizations"][0];
    CHECK((next == authz) == (percent == 100));
  }
}

TEST_CASE("authz_reuse_percent 50 reuses about half the time", "[order_handlers]") {
  common::Rng draws(7);
  Fixture f(OrderPolicy{.authz_reuse_percent = 50, .rng = &draws});
  const std::string authz = Body(f.Get(f.Order({Dns("a.example")})))["authorizations"][0];
  f.Validate(authz);
  int reused = 0;
  for (int i = 0; i < 100; ++i) {
    reused += Body(f.Get(f.Order({Dns("a.example")})))["authorizations"][0] == authz ? 1 : 0;
  }
  CHECK(reused > 30);
  CHECK(reused < 70);
}

// Pebble's domainBlocklist: the name and every name under it; one subproblem per blocked
// identifier, carrying it (S-ORD-02, S-ERR-03).
TEST_CASE("domain_blocklist refuses a name and names under it (S-ORD-02)", "[order_handlers]") {
  Fixture f(OrderPolicy{.domain_blocklist = {"blocked.example"}});
  SECTION("one blocked name") {
    const std::string name =
        GENERATE(std::string("blocked.example"), std::string("www.Blocked.example"),
                 std::string("*.blocked.example"));
    const http::Response response = f.NewOrder({{"identifiers", {Dns("ok.example"), Dns(name)}}});
    CheckProblemWithNonce(response, 400, "rejectedIdentifier");
    const json body = Body(response);
    REQUIRE(body["subproblems"].size() == 1);
    CHECK(body["subproblems"][0]["type"] == "urn:ietf:params:acme:error:rejectedIdentifier");
    CHECK(body["subproblems"][0]["identifier"] == Dns(common::AsciiLower(name)));
    CHECK_FALSE(body.contains("identifier"));  // S-ERR-03: only inside subproblems
    CHECK(f.store.Counts().orders == 0);
  }
  SECTION("two blocked names: two subproblems") {
    const http::Response response =
        f.NewOrder({{"identifiers", {Dns("a.blocked.example"), Dns("b.blocked.example")}}});
    CheckProblemWithNonce(response, 400, "rejectedIdentifier");
    CHECK(Body(response)["subproblems"].size() == 2);
  }
  SECTION("a suffix that is not a label boundary is fine") {
    CHECK(f.NewOrder({{"identifiers", {Dns("notblocked.example")}}}).status == 201);
  }
}

}  // namespace

}  // namespace order_handlers_test
