// The Router with a report::Recorder: every exchange recorded once its response is final, with its
// endpoint kind, status and the fault rules that fired.
#include <chrono>
#include <sstream>

#include <catch2/catch.hpp>

#include "common/json.hpp"
#include "faults/fault_engine.hpp"
#include "mockca/report/recorder.hpp"
#include "mockca/wfe/directory_handlers.hpp"
#include "mockca/wfe/paths.hpp"
#include "mockca/wfe/router.hpp"

namespace router_recording_test {

namespace {

using mockca::wfe::RequestContext;

struct Fixture {
  common::FakeClock clock{common::Clock::TimePoint{std::chrono::seconds(1'700'000'000)}};
  common::Rng rng{5};
  faults::FaultEngine engine{42, clock};
  mockca::wfe::NonceService nonces{rng};
  std::ostringstream sink;
  common::Logger log{sink, "test"};
  mockca::report::Recorder recorder;
  mockca::wfe::Router router{nonces, log, &engine, &clock, &recorder};

  Fixture() {
    mockca::wfe::AddDirectoryRoutes(router, {}, nonces);
    router.Add(mockca::wfe::paths::kNewOrder, {"POST"},
               [](const RequestContext& context) -> mockca::acme::Result<http::Response> {
                 return http::Response::Json(201, "{}").With("Location",
                                                             context.base_url + "/my-order/1");
               });
  }

  http::Response Send(std::string method, std::string target) {
    http::Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.host = "ca.test:14000";
    request.https = true;
    request.remote = "[2001:db8::1]:40000";
    request.headers = {{"Host", "ca.test:14000"}, {"User-Agent", "tester/1"}};
    request.body =
        request.method == "POST" ? R"({"protected":"","payload":"","signature":""})" : "";
    return router.Dispatch(request);
  }
};

TEST_CASE("Router records each dispatched exchange", "[wfe][router][report]") {
  Fixture fixture;
  const auto directory = fixture.Send("GET", mockca::wfe::paths::kDirectory);
  fixture.clock.Advance(std::chrono::seconds(1));
  const auto order = fixture.Send("POST", mockca::wfe::paths::kNewOrder);

  const auto clients = fixture.recorder.Snapshot();
  REQUIRE(clients.size() == 1);
  CHECK(clients[0].id == "anonymous:tester/1");
  const auto& exchanges = clients[0].exchanges;
  REQUIRE(exchanges.size() == 2);
  CHECK(exchanges[0].kind == "directory");
  CHECK(exchanges[0].status == 200);
  CHECK(exchanges[0].response_body == directory.body);
  CHECK(exchanges[0].remote == "[2001:db8::1]:40000");
  CHECK(exchanges[0].received == fixture.clock.Now() - std::chrono::seconds(1));
  CHECK(exchanges[0].fault_rules.empty());
  CHECK(exchanges[1].kind == "newOrder");
  CHECK(exchanges[1].status == 201);
  CHECK(exchanges[1].received == fixture.clock.Now());
  // The response as final: the router's common headers included.
  CHECK_FALSE(exchanges[1].ResponseHeader("Replay-Nonce").empty());
  CHECK(exchanges[1].ResponseHeader("Replay-Nonce") == [&] {
    for (const auto& [name, value] : order.headers) {
      if (name == "Replay-Nonce") {
        return value;
      }
    }
    return std::string();
  }());
  CHECK_FALSE(exchanges[1].ResponseHeader("Link").empty());
  CHECK(exchanges[1].jws);
}

TEST_CASE("Router records the fault rules that fired", "[wfe][router][report]") {
  Fixture fixture;
  const auto add = [&](const char* json) {
    auto rule = faults::ParseFaultRule(nlohmann::json::parse(json));
    REQUIRE(rule.ok());
    REQUIRE(fixture.engine.Add(std::move(rule).value()).ok());
  };
  add(R"({"id": "slow-503", "where": "newOrder", "fault": "error", "status": 503,
          "type": "serverInternal", "retryAfter": 5})");
  add(R"({"id": "strip-link", "where": "newOrder", "fault": "omitHeader", "header": "Link"})");
  add(R"({"id": "dir-only", "where": "directory", "fault": "delay", "delayMs": 1})");

  const auto response = fixture.Send("POST", mockca::wfe::paths::kNewOrder);
  REQUIRE(response.status == 503);
  const auto client = fixture.recorder.Snapshot().at(0);
  const auto& exchange = client.exchanges.at(0);
  CHECK(exchange.kind == "newOrder");
  CHECK(exchange.status == 503);
  CHECK(exchange.problem_type == "urn:ietf:params:acme:error:serverInternal");
  CHECK(exchange.fault_rules == std::vector<std::string>{"slow-503", "strip-link"});
  CHECK(exchange.ResponseHeader("Link").empty());
  REQUIRE(client.retry_after.size() == 1);
  CHECK(client.retry_after[0].value == "5");
}

TEST_CASE("Router without a recorder serves as before", "[wfe][router][report]") {
  common::Rng rng{5};
  mockca::wfe::NonceService nonces{rng};
  std::ostringstream sink;
  common::Logger log{sink, "test"};
  mockca::wfe::Router router{nonces, log};
  mockca::wfe::AddDirectoryRoutes(router, {}, nonces);
  http::Request request;
  request.method = "GET";
  request.target = mockca::wfe::paths::kDirectory;
  request.host = "ca.test";
  CHECK(router.Dispatch(request).status == 200);
}

}  // namespace

}  // namespace router_recording_test
