// The Router with a real faults::FaultEngine: each request- and response-stage fault of
// conformance.md Part C as a client of mockca would meet it.
#include <chrono>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "common/json.hpp"
#include "faults/fault_engine.hpp"
#include "mockca/jose/base64url.hpp"
#include "mockca/wfe/directory_handlers.hpp"
#include "mockca/wfe/paths.hpp"
#include "mockca/wfe/router.hpp"

namespace router_faults_test {

namespace {

using http::Delivery;
using mockca::wfe::RequestContext;

constexpr char kHost[] = "ca.test:14000";
constexpr char kAccount7[] = "https://ca.test:14000/my-account/7";
constexpr char kAccount8[] = "https://ca.test:14000/my-account/8";

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

// A flattened JWS signed "by" kid; the router only reads its protected header.
std::string SignedBy(const std::string& kid) {
  const nlohmann::json header = {{"alg", "ES256"}, {"kid", kid}, {"nonce", "n"}, {"url", "u"}};
  return nlohmann::json{{"protected", mockca::jose::Base64UrlEncode(header.dump())},
                        {"payload", ""},
                        {"signature", "c2ln"}}
      .dump();
}

// A router over a fault engine (seed 42) with the directory, and newOrder and order routes that
// count the requests their handler ran for.
struct Fixture {
  common::FakeClock clock{common::Clock::TimePoint{std::chrono::seconds(1'700'000'000)}};
  common::Rng rng{5};
  faults::FaultEngine engine{42, clock};
  mockca::wfe::NonceService nonces{rng};
  std::ostringstream sink;
  common::Logger log{sink, "test"};
  mockca::wfe::Router router{nonces, log, &engine, &clock};
  int new_orders = 0;  // handler runs: the "state change" a dropped request may or may not make

  Fixture() {
    mockca::wfe::AddDirectoryRoutes(router, {}, nonces);
    router.Add(mockca::wfe::paths::kNewOrder, {"POST"},
               [this](const RequestContext& context) -> mockca::acme::Result<http::Response> {
                 ++new_orders;
                 return http::Response::Json(201, R"({"status": "pending", "identifiers": []})")
                     .With("Location", context.base_url + "/my-order/1");
               });
    router.Add(mockca::wfe::paths::kOrder, {"POST"},
               [](const RequestContext&) -> mockca::acme::Result<http::Response> {
                 return http::Response::Json(200, R"({"status": "valid"})");
               });
  }

  void AddRule(const std::string& json) {
    auto rule = faults::ParseFaultRule(nlohmann::json::parse(json));
    REQUIRE(rule.ok());
    REQUIRE(engine.Add(std::move(rule).value()).ok());
  }

  http::Response Post(const std::string& target, const std::string& kid = kAccount7) {
    http::Request request;
    request.method = "POST";
    request.target = target;
    request.host = kHost;
    request.https = true;
    request.headers.emplace_back("Content-Type", "application/jose+json");
    request.body = SignedBy(kid);
    return router.Dispatch(request);
  }

  http::Response Get(const std::string& target) {
    http::Request request;
    request.method = "GET";
    request.target = target;
    request.host = kHost;
    request.https = true;
    return router.Dispatch(request);
  }
};

void CheckUntouched(const http::Response& response) {
  CHECK(response.status == 201);
  CHECK(nlohmann::json::parse(response.body)["status"] == "pending");
  CHECK(response.delivery.mode == Delivery::Mode::kNormal);
  CHECK(response.delivery.delay == std::chrono::milliseconds(0));
}

TEST_CASE("Without rules the engine leaves every response alone", "[wfe][faults]") {
  Fixture f;
  const auto response = f.Post("/order-plz");
  CheckUntouched(response);
  CHECK(f.new_orders == 1);
  CHECK_FALSE(HeaderOf(response, "Replay-Nonce").empty());
  CHECK(f.engine.LogJson()["decisions"].empty());
}

TEST_CASE("F-503: an injected 503 replaces the handler's reply, with the usual headers",
          "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"id": "busy", "where": "newOrder", "fault": "error", "status": 503,
                "type": "serverInternal", "retryAfter": 5, "times": 1})");
  const auto response = f.Post("/order-plz");
  CHECK(f.new_orders == 0);  // the handler did not run
  CHECK(response.status == 503);
  CHECK(HeaderOf(response, "Content-Type") == "application/problem+json; charset=utf-8");
  const auto problem = nlohmann::json::parse(response.body);
  CHECK(problem["type"] == "urn:ietf:params:acme:error:serverInternal");
  CHECK(problem["detail"] == "injected fault busy");
  CHECK(problem["status"] == 503);
  CHECK(HeaderOf(response, "Retry-After") == "5");
  CHECK_FALSE(HeaderOf(response, "Replay-Nonce").empty());  // S-NONCE-01 still holds
  CHECK(HeaderOf(response, "Link") == "<https://ca.test:14000/dir>;rel=\"index\"");
  CHECK(HeaderOf(response, "Cache-Control") == "public, max-age=0, no-cache");

  // times: 1, so the retry goes through (F-503 n=1).
  CheckUntouched(f.Post("/order-plz"));
  CHECK(f.new_orders == 1);
}

TEST_CASE("F-RA-DATE: Retry-After as an IMF-fixdate taken from the clock", "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "error", "status": 503, "retryAfter": 30,
                "retryAfterFormat": "http-date"})");
  f.clock.Advance(std::chrono::hours(24));
  const auto response = f.Post("/order-plz");
  CHECK(HeaderOf(response, "Retry-After") == "Wed, 15 Nov 2023 22:13:50 GMT");
}

TEST_CASE("F-429: rateLimited with Retry-After and Link rel=help", "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": ["finalize", "newOrder"], "fault": "error", "status": 429,
                "type": "rateLimited", "detail": "too many orders", "retryAfter": 10})");
  const auto response = f.Post("/order-plz");
  CHECK(response.status == 429);
  const auto problem = nlohmann::json::parse(response.body);
  CHECK(problem["type"] == "urn:ietf:params:acme:error:rateLimited");
  CHECK(problem["detail"] == "too many orders");
  CHECK(HeaderOf(response, "Retry-After") == "10");
  bool help = false;
  for (const auto& [name, value] : response.headers) {
    help = help ||
           (name == "Link" && value == "<https://ca.test:14000/docs/rate-limits>;rel=\"help\"");
  }
  CHECK(help);
}

TEST_CASE("F-NONCE-OMIT-ERR: an injected error without Replay-Nonce", "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "error", "status": 500, "omitNonce": true})");
  const auto response = f.Post("/order-plz");
  CHECK(response.status == 500);
  CHECK(HeaderOf(response, "Replay-Nonce").empty());
  CHECK_FALSE(HeaderOf(response, "Link").empty());
}

TEST_CASE("F-HTML-5XX: a proxy's HTML 502 without Replay-Nonce, the handler does not run",
          "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "htmlError"})");
  const auto response = f.Post("/order-plz");
  CHECK(f.new_orders == 0);
  CHECK(response.status == 502);
  CHECK(response.body == "<html><body><h1>502 Bad Gateway</h1></body></html>");
  CHECK(HeaderOf(response, "Content-Type") == "text/html");
  CHECK(HeaderOf(response, "Replay-Nonce").empty());
}

TEST_CASE("empty200: a 200 with no body and no Content-Type, the handler does not run",
          "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "empty200"})");
  const auto response = f.Post("/order-plz");
  CHECK(f.new_orders == 0);
  CHECK(response.status == 200);
  CHECK(response.body.empty());
  CHECK(HeaderOf(response, "Content-Type").empty());
}

TEST_CASE("delay: the handler runs and the delays of every rule add up", "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "delay", "delayMs": 200})");
  f.AddRule(R"({"where": "*", "fault": "delay", "delayMs": 50})");
  const auto response = f.Post("/order-plz");
  CHECK(f.new_orders == 1);
  CHECK(response.status == 201);
  CHECK(response.delivery.delay == std::chrono::milliseconds(250));
  CHECK(response.delivery.mode == Delivery::Mode::kNormal);
  CHECK(f.Get("/dir").delivery.delay == std::chrono::milliseconds(50));
}

TEST_CASE("F-CONN-RESET before the handler: drop closes without running it", "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "drop"})");
  const auto response = f.Post("/order-plz");
  CHECK(f.new_orders == 0);
  CHECK(response.delivery.mode == Delivery::Mode::kClose);
}

TEST_CASE("F-CONN-RESET after the handler: dropAfter keeps its state change, then closes",
          "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "dropAfter"})");
  const auto response = f.Post("/order-plz");
  CHECK(f.new_orders == 1);
  CHECK(response.delivery.mode == Delivery::Mode::kClose);
}

TEST_CASE("F-CONN-RESET mid-body: reset runs the handler and breaks the delivery",
          "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "reset"})");
  const auto response = f.Post("/order-plz");
  CHECK(f.new_orders == 1);
  CHECK(response.status == 201);
  CHECK(response.delivery.mode == Delivery::Mode::kResetMidBody);
}

TEST_CASE("Response faults: contentType, truncateBody and invalidJson", "[wfe][faults]") {
  Fixture f;
  SECTION("contentType") {
    f.AddRule(R"({"where": "newOrder", "fault": "contentType", "value": "text/plain"})");
    CHECK(HeaderOf(f.Post("/order-plz"), "Content-Type") == "text/plain");
  }
  SECTION("contentType removed") {
    f.AddRule(R"({"where": "newOrder", "fault": "contentType", "value": ""})");
    CHECK(HeaderOf(f.Post("/order-plz"), "Content-Type").empty());
  }
  SECTION("truncateBody") {
    f.AddRule(R"({"where": "newOrder", "fault": "truncateBody"})");
    const std::string whole = R"({"status": "pending", "identifiers": []})";
    CHECK(f.Post("/order-plz").body == whole.substr(0, whole.size() / 2));
  }
  SECTION("invalidJson") {
    f.AddRule(R"({"where": "newOrder", "fault": "invalidJson"})");
    const auto response = f.Post("/order-plz");
    CHECK(response.status == 201);
    CHECK(nlohmann::json::parse(response.body, nullptr, false).is_discarded());
  }
  CHECK(f.new_orders == 1);
}

TEST_CASE("F-UNKNOWN-FIELDS: extraFields on an order keeps it valid JSON", "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "order", "fault": "extraFields"})");
  const auto body = nlohmann::json::parse(f.Post("/my-order/1").body);
  CHECK(body["status"] == "valid");
  CHECK(body.contains("anvilUnknownField"));
  CHECK(body.contains("x-anvil"));
}

TEST_CASE("F-DIR-EXTRA: extraFields on the directory adds an endpoint and meta member",
          "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "directory", "fault": "extraFields"})");
  const auto body = nlohmann::json::parse(f.Get("/dir").body);
  CHECK(body["anvilExtraEndpoint"] == "https://ca.test:14000/anvil-extra");
  CHECK(body["meta"].contains("anvilExtraMeta"));
  CHECK(body["newOrder"] == "https://ca.test:14000/order-plz");
}

TEST_CASE("omitHeader removes the router's own headers too (Replay-Nonce, Link, Location)",
          "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "omitHeader", "header": "replay-nonce"})");
  f.AddRule(R"({"where": "newOrder", "fault": "omitHeader", "header": "Link"})");
  f.AddRule(R"({"where": "newOrder", "fault": "omitHeader", "header": "Location"})");
  const auto response = f.Post("/order-plz");
  CHECK(HeaderOf(response, "Replay-Nonce").empty());
  CHECK(HeaderOf(response, "Link").empty());
  CHECK(HeaderOf(response, "Location").empty());
  CHECK_FALSE(HeaderOf(response, "Content-Type").empty());
}

TEST_CASE("The account filter matches the JWS kid, the log names where, subject and account",
          "[wfe][faults]") {
  Fixture f;
  SECTION("by account id") {
    f.AddRule(R"({"id": "only7", "where": "newOrder", "when": {"account": "7"},
                  "fault": "error", "status": 503})");
  }
  SECTION("by account URL") {
    f.AddRule(R"({"id": "only7", "where": "newOrder",
                  "when": {"account": "https://ca.test:14000/my-account/7"},
                  "fault": "error", "status": 503})");
  }
  CheckUntouched(f.Post("/order-plz", kAccount8));
  CHECK(f.Post("/order-plz", kAccount7).status == 503);
  const auto decisions = f.engine.LogJson()["decisions"];
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0]["rule"] == "only7");
  CHECK(decisions[0]["where"] == "newOrder");
  CHECK(decisions[0]["subject"] == "POST /order-plz");
  CHECK(decisions[0]["account"] == kAccount7);
}

TEST_CASE("A rule fires only where it is set and for its method", "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "directory", "when": {"method": "GET"}, "fault": "error",
                "status": 503})");
  CheckUntouched(f.Post("/order-plz"));
  CHECK(f.Get("/dir").status == 503);
  CHECK(f.Get("/nonce-plz").status == 204);
}

TEST_CASE("A dropped connection gets no response-stage faults", "[wfe][faults]") {
  Fixture f;
  f.AddRule(R"({"where": "newOrder", "fault": "dropAfter"})");
  f.AddRule(R"({"where": "newOrder", "fault": "invalidJson"})");
  const auto response = f.Post("/order-plz");
  CHECK(response.delivery.mode == Delivery::Mode::kClose);
  const auto decisions = f.engine.LogJson()["decisions"];
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0]["fault"] == "dropAfter");
}

}  // namespace

}  // namespace router_faults_test
