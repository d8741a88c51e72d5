#include "mockca/wfe/request_faults.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/json.hpp"
#include "mockca/jose/base64url.hpp"

namespace request_faults_test {

namespace {

using faults::FaultKind;
using mockca::wfe::FaultSite;

// 2023-11-14T22:13:20Z, a Tuesday.
constexpr common::Clock::TimePoint kNow{std::chrono::seconds(1'700'000'000)};
const FaultSite kOrderSite{"order", "https://ca.test:14000", kNow};

faults::Injection Inject(FaultKind kind, std::string rule_id = "r1") {
  faults::Injection injection;
  injection.rule_id = std::move(rule_id);
  injection.fault.kind = kind;
  return injection;
}

std::string JwsBody(const nlohmann::json& header, const nlohmann::json& payload) {
  using mockca::jose::Base64UrlEncode;
  return nlohmann::json{{"protected", Base64UrlEncode(header.dump())},
                        {"payload", payload.is_null() ? "" : Base64UrlEncode(payload.dump())},
                        {"signature", "c2ln"}}
      .dump();
}

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

TEST_CASE("JwsKid reads the kid of a flattened JWS and nothing else", "[wfe][faults]") {
  const std::string kid = "https://ca.test:14000/my-account/7";
  CHECK(mockca::wfe::JwsKid(JwsBody({{"alg", "ES256"}, {"kid", kid}}, nullptr)) == kid);
  CHECK(
      mockca::wfe::JwsKid(JwsBody({{"alg", "ES256"}, {"jwk", {{"kty", "EC"}}}}, nullptr)).empty());
  CHECK(mockca::wfe::JwsKid(JwsBody({{"kid", 7}}, nullptr)).empty());
  for (const char* body : {"", "not json", "[]", R"({"protected": 1})", R"({"protected": "!!"})",
                           R"({"protected": "e30"})"}) {
    DYNAMIC_SECTION(body) {
      CHECK(mockca::wfe::JwsKid(body).empty());
    }
  }
}

TEST_CASE("RequestFacts carry kind, method, subject, the kid and the newOrder identifiers",
          "[wfe][faults]") {
  http::Request request;
  request.method = "POST";
  request.target = "/order-plz?x=1";
  request.body =
      JwsBody({{"kid", "https://ca.test:14000/my-account/3"}},
              {{"identifiers",
                {{{"type", "dns"}, {"value", "a.test"}}, {{"type", "dns"}, {"value", "b.test"}}}}});
  const faults::Facts facts = mockca::wfe::RequestFacts(request, "newOrder");
  CHECK(facts.where == "newOrder");
  CHECK(facts.method == "POST");
  CHECK(facts.subject == "POST /order-plz?x=1");
  CHECK(facts.account == "https://ca.test:14000/my-account/3");
  CHECK(facts.identifiers == std::vector<std::string>{"a.test", "b.test"});

  http::Request get;
  get.method = "GET";
  get.target = "/dir";
  const faults::Facts get_facts = mockca::wfe::RequestFacts(get, "directory");
  CHECK(get_facts.account.empty());
  CHECK(get_facts.subject == "GET /dir");
}

TEST_CASE("ImfFixdate formats RFC 9110 dates (F-RA-DATE)", "[wfe][faults]") {
  CHECK(mockca::wfe::ImfFixdate(kNow) == "Tue, 14 Nov 2023 22:13:20 GMT");
  // RFC 9110 §5.6.7's own example.
  CHECK(mockca::wfe::ImfFixdate(common::Clock::TimePoint{std::chrono::seconds(784111777)}) ==
        "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(mockca::wfe::ImfFixdate(common::Clock::TimePoint{}) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(mockca::wfe::ImfFixdate(kNow + std::chrono::milliseconds(999)) ==
        "Tue, 14 Nov 2023 22:13:20 GMT");
}

TEST_CASE("F-503: an error plan is a problem document with Retry-After in seconds",
          "[wfe][faults]") {
  auto injection = Inject(FaultKind::kError, "busy");
  injection.fault.status = 503;
  injection.fault.problem_type = "urn:ietf:params:acme:error:serverInternal";
  injection.fault.retry_after = 5;
  const auto plan = mockca::wfe::PlanRequestFaults({injection}, kOrderSite);
  REQUIRE(plan.reply);
  CHECK(plan.reply->status == 503);
  CHECK(HeaderOf(*plan.reply, "Content-Type") == "application/problem+json; charset=utf-8");
  CHECK(HeaderOf(*plan.reply, "Retry-After") == "5");
  const auto problem = nlohmann::json::parse(plan.reply->body);
  CHECK(problem["type"] == "urn:ietf:params:acme:error:serverInternal");
  CHECK(problem["status"] == 503);
  CHECK(problem["detail"] == "injected fault busy");
  CHECK(plan.common_headers);
  CHECK(plan.nonce);
  CHECK(plan.delivery.mode == http::Delivery::Mode::kNormal);
}

TEST_CASE("F-429 and F-RA-DATE: rateLimited with a dated Retry-After and Link rel=help",
          "[wfe][faults]") {
  auto injection = Inject(FaultKind::kError);
  injection.fault.status = 429;
  injection.fault.problem_type = "urn:ietf:params:acme:error:rateLimited";  // as parsed
  injection.fault.detail = "slow down";
  injection.fault.retry_after = 10;
  injection.fault.retry_after_http_date = true;
  const auto plan = mockca::wfe::PlanRequestFaults({injection}, kOrderSite);
  REQUIRE(plan.reply);
  CHECK(HeaderOf(*plan.reply, "Retry-After") == "Tue, 14 Nov 2023 22:13:30 GMT");
  CHECK(HeaderOf(*plan.reply, "Link") == "<https://ca.test:14000/docs/rate-limits>;rel=\"help\"");
  const auto problem = nlohmann::json::parse(plan.reply->body);
  CHECK(problem["type"] == "urn:ietf:params:acme:error:rateLimited");
  CHECK(problem["detail"] == "slow down");
}

TEST_CASE("An error built in code without status or type is a 500 serverInternal",
          "[wfe][faults]") {
  const auto plan = mockca::wfe::PlanRequestFaults({Inject(FaultKind::kError)}, kOrderSite);
  REQUIRE(plan.reply);
  CHECK(plan.reply->status == 500);
  CHECK(nlohmann::json::parse(plan.reply->body)["type"] ==
        "urn:ietf:params:acme:error:serverInternal");
  CHECK(HeaderOf(*plan.reply, "Retry-After").empty());
}

TEST_CASE("F-NONCE-OMIT-ERR: omitNonce asks for no Replay-Nonce", "[wfe][faults]") {
  auto injection = Inject(FaultKind::kError);
  injection.fault.status = 500;
  injection.fault.omit_nonce = true;
  const auto plan = mockca::wfe::PlanRequestFaults({injection}, kOrderSite);
  CHECK(plan.reply);
  CHECK(plan.common_headers);
  CHECK_FALSE(plan.nonce);
}

TEST_CASE("F-HTML-5XX: a bare HTML 502 without the router's headers", "[wfe][faults]") {
  const auto plan = mockca::wfe::PlanRequestFaults({Inject(FaultKind::kHtmlError)}, kOrderSite);
  REQUIRE(plan.reply);
  CHECK(plan.reply->status == 502);
  CHECK(plan.reply->body == "<html><body><h1>502 Bad Gateway</h1></body></html>");
  CHECK(HeaderOf(*plan.reply, "Content-Type") == "text/html");
  CHECK_FALSE(plan.common_headers);
  CHECK_FALSE(plan.nonce);
}

TEST_CASE("empty200 replaces the reply by an empty 200 without Content-Type", "[wfe][faults]") {
  const auto plan = mockca::wfe::PlanRequestFaults({Inject(FaultKind::kEmpty200)}, kOrderSite);
  REQUIRE(plan.reply);
  CHECK(plan.reply->status == 200);
  CHECK(plan.reply->body.empty());
  CHECK(plan.reply->headers.empty());
}

TEST_CASE("The first replacing fault wins, delays add up, a close beats a reset", "[wfe][faults]") {
  auto delay = Inject(FaultKind::kDelay);
  delay.fault.delay_ms = 150;
  auto error = Inject(FaultKind::kError);
  error.fault.status = 503;
  const auto plan = mockca::wfe::PlanRequestFaults(
      {delay, Inject(FaultKind::kReset), error, Inject(FaultKind::kHtmlError), delay,
       Inject(FaultKind::kDropAfter), Inject(FaultKind::kReset)},
      kOrderSite);
  REQUIRE(plan.reply);
  CHECK(plan.reply->status == 503);
  CHECK(plan.delivery.delay == std::chrono::milliseconds(300));
  CHECK(plan.delivery.mode == http::Delivery::Mode::kClose);
}

TEST_CASE("F-CONN-RESET: drop replaces the reply and closes, dropAfter and reset do not replace",
          "[wfe][faults]") {
  const auto drop = mockca::wfe::PlanRequestFaults({Inject(FaultKind::kDrop)}, kOrderSite);
  CHECK(drop.reply);
  CHECK(drop.delivery.mode == http::Delivery::Mode::kClose);

  const auto after = mockca::wfe::PlanRequestFaults({Inject(FaultKind::kDropAfter)}, kOrderSite);
  CHECK_FALSE(after.reply);
  CHECK(after.delivery.mode == http::Delivery::Mode::kClose);

  const auto reset = mockca::wfe::PlanRequestFaults({Inject(FaultKind::kReset)}, kOrderSite);
  CHECK_FALSE(reset.reply);
  CHECK(reset.delivery.mode == http::Delivery::Mode::kResetMidBody);

  const auto none = mockca::wfe::PlanRequestFaults({Inject(FaultKind::kTruncateBody)}, kOrderSite);
  CHECK_FALSE(none.reply);
  CHECK(none.delivery.mode == http::Delivery::Mode::kNormal);
  CHECK(none.delivery.delay == std::chrono::milliseconds(0));
}

http::Response OrderResponse() {
  return http::Response::Json(200, R"({"status": "pending", "identifiers": []})")
      .With("Replay-Nonce", "abc")
      .With("Location", "https://ca.test:14000/my-order/1");
}

TEST_CASE("contentType sets or removes Content-Type", "[wfe][faults]") {
  auto set = Inject(FaultKind::kContentType);
  set.fault.value = "text/plain";
  http::Response response = OrderResponse();
  mockca::wfe::ApplyResponseFaults({set}, kOrderSite, response);
  CHECK(HeaderOf(response, "Content-Type") == "text/plain");

  mockca::wfe::ApplyResponseFaults({Inject(FaultKind::kContentType)}, kOrderSite, response);
  CHECK(HeaderOf(response, "Content-Type").empty());
  CHECK(response.headers.size() == 2);
}

TEST_CASE("truncateBody keeps the first half of the body", "[wfe][faults]") {
  http::Response response = OrderResponse();
  const std::string whole = response.body;
  mockca::wfe::ApplyResponseFaults({Inject(FaultKind::kTruncateBody)}, kOrderSite, response);
  CHECK(response.body == whole.substr(0, whole.size() / 2));
}

TEST_CASE("invalidJson replaces the body by text that does not parse", "[wfe][faults]") {
  http::Response response = OrderResponse();
  mockca::wfe::ApplyResponseFaults({Inject(FaultKind::kInvalidJson)}, kOrderSite, response);
  CHECK_FALSE(response.body.empty());
  CHECK(nlohmann::json::parse(response.body, nullptr, false).is_discarded());
}

TEST_CASE("F-UNKNOWN-FIELDS: extraFields adds unknown members and keeps the JSON valid",
          "[wfe][faults]") {
  http::Response response = OrderResponse();
  mockca::wfe::ApplyResponseFaults({Inject(FaultKind::kExtraFields)}, kOrderSite, response);
  const auto body = nlohmann::json::parse(response.body);
  CHECK(body["status"] == "pending");
  CHECK(body["anvilUnknownField"] == nlohmann::json{{"nested", {1, nullptr}}});
  CHECK(body.contains("x-anvil"));
  CHECK_FALSE(body.contains("anvilExtraEndpoint"));

  http::Response text = http::Response::Text(200, "not json");
  mockca::wfe::ApplyResponseFaults({Inject(FaultKind::kExtraFields)}, kOrderSite, text);
  CHECK(text.body == "not json");
}

TEST_CASE("F-DIR-EXTRA: extraFields on the directory adds an endpoint and a meta member",
          "[wfe][faults]") {
  const FaultSite directory{"directory", "https://ca.test:14000", kNow};
  http::Response response = http::Response::Json(200, R"({"newNonce": "n", "meta": {}})");
  mockca::wfe::ApplyResponseFaults({Inject(FaultKind::kExtraFields)}, directory, response);
  const auto body = nlohmann::json::parse(response.body);
  CHECK(body["anvilExtraEndpoint"] == "https://ca.test:14000/anvil-extra");
  CHECK(body["meta"].contains("anvilExtraMeta"));
  CHECK(body["newNonce"] == "n");
}

TEST_CASE("omitHeader removes every header of that name, whatever its case", "[wfe][faults]") {
  auto omit = Inject(FaultKind::kOmitHeader);
  omit.fault.header = "replay-nonce";
  http::Response response = OrderResponse().With("REPLAY-NONCE", "def");
  mockca::wfe::ApplyResponseFaults({omit}, kOrderSite, response);
  CHECK(HeaderOf(response, "Replay-Nonce").empty());
  CHECK(HeaderOf(response, "REPLAY-NONCE").empty());
  CHECK(HeaderOf(response, "Location") == "https://ca.test:14000/my-order/1");
}

}  // namespace

}  // namespace request_faults_test
