#include "faults/fault_api.hpp"

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "common/json.hpp"

namespace fault_api_test {

namespace {

using faults::HandleFaultsRequest;

struct Api {
  common::FakeClock clock{std::chrono::system_clock::time_point{}};
  faults::FaultEngine engine{5, clock};

  http::Response Send(std::string method, std::string target, std::string body = "") {
    http::Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    return HandleFaultsRequest(engine, request);
  }
};

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return "";
}

nlohmann::json BodyOf(const http::Response& response) {
  return nlohmann::json::parse(response.body);
}

TEST_CASE("IsFaultsPath takes /faults and paths below it only", "[faults][api]") {
  CHECK(faults::IsFaultsPath("/faults"));
  CHECK(faults::IsFaultsPath("/faults/"));
  CHECK(faults::IsFaultsPath("/faults/log"));
  CHECK(faults::IsFaultsPath("/faults/r1"));
  CHECK_FALSE(faults::IsFaultsPath("/faultsx"));
  CHECK_FALSE(faults::IsFaultsPath("/fault"));
  CHECK_FALSE(faults::IsFaultsPath("/"));
  CHECK_FALSE(faults::IsFaultsPath("/x/faults"));
}

TEST_CASE("POST /faults adds one rule, a list or {\"faults\": [...]}", "[faults][api]") {
  Api api;
  const http::Response one = api.Send("POST", "/faults", R"({"fault":"drop"})");
  CHECK(one.status == 200);
  CHECK(HeaderOf(one, "Content-Type").starts_with("application/json"));
  CHECK(BodyOf(one) == nlohmann::json::parse(R"({"ids":["r1"]})"));
  const http::Response list =
      api.Send("POST", "/faults", R"([{"id":"a","fault":"reset"},{"fault":"badNonce"}])");
  CHECK(list.status == 200);
  CHECK(BodyOf(list) == nlohmann::json::parse(R"({"ids":["a","r2"]})"));
  const http::Response wrapped =
      api.Send("POST", "/faults", R"({"faults":[{"fault":"servfail","where":"dns"}]})");
  CHECK(BodyOf(wrapped) == nlohmann::json::parse(R"({"ids":["r3"]})"));

  const http::Response all = api.Send("GET", "/faults");
  CHECK(all.status == 200);
  const nlohmann::json rules = BodyOf(all);
  CHECK(rules["seed"] == 5);
  REQUIRE(rules["faults"].size() == 4);
  CHECK(rules["faults"][1]["id"] == "a");
  CHECK(rules["faults"][1]["matched"] == 0);
}

TEST_CASE("POST /faults is all-or-nothing: 400 naming the member, 409 on a duplicate id",
          "[faults][api]") {
  Api api;
  REQUIRE(api.Send("POST", "/faults", R"({"id":"keep","fault":"drop"})").status == 200);

  const http::Response invalid =
      api.Send("POST", "/faults", R"([{"fault":"drop"},{"fault":"error","status":700}])");
  CHECK(invalid.status == 400);
  CHECK_THAT(BodyOf(invalid)["error"].get<std::string>(), Catch::StartsWith("faults[1].status:"));

  const http::Response duplicate =
      api.Send("POST", "/faults", R"([{"id":"new","fault":"drop"},{"id":"keep","fault":"drop"}])");
  CHECK(duplicate.status == 409);
  CHECK_THAT(BodyOf(duplicate)["error"].get<std::string>(), Catch::Contains("keep"));

  CHECK(api.Send("POST", "/faults", "{not json").status == 400);
  CHECK(api.Send("POST", "/faults", R"("drop")").status == 400);
  const http::Response reserved = api.Send("POST", "/faults", R"({"id":"log","fault":"drop"})");
  CHECK(reserved.status == 400);
  CHECK_THAT(BodyOf(reserved)["error"].get<std::string>(), Catch::StartsWith("id:"));

  // Nothing of the refused requests was added.
  const nlohmann::json rules = BodyOf(api.Send("GET", "/faults"))["faults"];
  REQUIRE(rules.size() == 1);
  CHECK(rules[0]["id"] == "keep");
}

TEST_CASE("GET and DELETE /faults/<id>", "[faults][api]") {
  Api api;
  REQUIRE(api.Send("POST", "/faults", R"({"id":"x","fault":"drop","where":"order"})").status ==
          200);
  const http::Response got = api.Send("GET", "/faults/x");
  CHECK(got.status == 200);
  CHECK(BodyOf(got)["where"] == nlohmann::json::array({"order"}));
  CHECK(api.Send("DELETE", "/faults/x").status == 200);
  CHECK(api.Send("DELETE", "/faults/x").status == 404);
  CHECK(api.Send("GET", "/faults/x").status == 404);
  CHECK(api.Send("GET", "/faults/x/y").status == 404);
  CHECK(api.engine.Idle());
}

TEST_CASE("DELETE /faults and POST /faults/clear remove every rule", "[faults][api]") {
  Api api;
  REQUIRE(api.Send("POST", "/faults", R"([{"fault":"drop"},{"fault":"reset"}])").status == 200);
  CHECK(api.Send("DELETE", "/faults").status == 200);
  CHECK(api.engine.Idle());
  REQUIRE(api.Send("POST", "/faults", R"({"fault":"drop"})").status == 200);
  CHECK(api.Send("POST", "/faults/clear").status == 200);
  CHECK(api.engine.Idle());
  CHECK(BodyOf(api.Send("GET", "/faults"))["faults"].empty());
}

TEST_CASE("GET /faults/log and /faults/decisions, DELETE /faults/log", "[faults][api]") {
  Api api;
  REQUIRE(api.Send("POST", "/faults?x=1", R"({"id":"n","fault":"badNonce"})").status == 200);
  faults::Facts facts;
  facts.where = "newOrder";
  facts.method = "POST";  // badNonce fires where a nonce is redeemed, i.e. on a request
  facts.subject = "POST /order-plz";
  api.engine.Match(faults::Stage::kNonce, facts);
  api.engine.Match(faults::Stage::kNonce, facts);

  const http::Response log = api.Send("GET", "/faults/log");
  CHECK(log.status == 200);
  CHECK(BodyOf(log)["decisions"].size() == 2);
  CHECK(BodyOf(log)["decisions"][1]["match"] == 2);

  const http::Response lines = api.Send("GET", "/faults/decisions");
  CHECK(lines.status == 200);
  CHECK(HeaderOf(lines, "Content-Type") == "application/x-ndjson");
  CHECK(lines.body == api.engine.DecisionLines());
  CHECK(std::count(lines.body.begin(), lines.body.end(), '\n') == 2);

  CHECK(api.Send("DELETE", "/faults/log").status == 200);
  CHECK(BodyOf(api.Send("GET", "/faults/log"))["decisions"].empty());
  CHECK(api.Send("GET", "/faults/decisions").body.empty());
  CHECK_FALSE(api.engine.Idle());  // clearing the log keeps the rules
}

TEST_CASE("A method a fault path does not serve gets 405 with Allow", "[faults][api]") {
  Api api;
  struct Case {
    const char* method;
    const char* target;
    const char* allow;
  };
  const Case cases[] = {
      {"PUT", "/faults", "GET, POST, DELETE"}, {"GET", "/faults/clear", "POST"},
      {"POST", "/faults/log", "GET, DELETE"},  {"DELETE", "/faults/decisions", "GET"},
      {"PATCH", "/faults/r1", "GET, DELETE"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.method << " " << c.target) {
      const http::Response response = api.Send(c.method, c.target);
      CHECK(response.status == 405);
      CHECK(HeaderOf(response, "Allow") == c.allow);
      CHECK(BodyOf(response).contains("error"));
    }
  }
}

}  // namespace

}  // namespace fault_api_test
