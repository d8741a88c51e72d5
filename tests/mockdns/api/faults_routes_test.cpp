// The DNS fault engine behind mockdns's DoH handler and management API: the issue's "DNS:
// SERVFAIL, NXDOMAIN, REFUSED, timeout, truncation, wrong answers, delays", managed through the
// /faults routes (faults/fault_api.hpp).
#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "common/logger.hpp"
#include "faults/fault_engine.hpp"
#include "mockdns/api/doh_handler.hpp"
#include "mockdns/api/management_api.hpp"
#include "mockdns/wire/parse.hpp"
#include "tests/support/dns_query.hpp"

namespace faults_routes_test {

namespace {

namespace wire = mockdns::wire;

http::Request MakeRequest(std::string method, std::string target, std::string body = "") {
  http::Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.host = "127.0.0.1:8055";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = std::move(body);
  return request;
}

http::Request DohPost(const std::string& name, std::uint16_t type) {
  const auto bytes = support::ToBytes(support::MakeQuery(name, type, 5));
  http::Request request =
      MakeRequest("POST", "/dns-query", std::string(bytes.begin(), bytes.end()));
  request.headers = {{"Content-Type", "application/dns-message"}};
  request.https = true;
  return request;
}

struct Fixture {
  explicit Fixture(bool with_engine = true)
      : api(zone, challenges, history, {}, log, with_engine ? &engine : nullptr) {}

  http::Response Send(const std::string& method, const std::string& target,
                      const std::string& body = "") {
    return api.Handle(MakeRequest(method, target, body));
  }

  common::FakeClock clock{std::chrono::system_clock::time_point{}};
  faults::FaultEngine engine{3, clock};
  mockdns::zone::Zone zone;
  mockdns::zone::ChallengeResponses challenges;
  mockdns::zone::RequestHistory history;
  std::ostringstream log_text;
  common::Logger log{log_text, "mockdns-test", common::Logger::Level::kDebug};
  mockdns::api::ManagementApi api;
};

TEST_CASE("ManagementApi serves /faults on its engine", "[api][management][dns-faults]") {
  Fixture f;
  const http::Response added =
      f.Send("POST", "/faults", R"({"id":"s1","fault":"servfail","when":{"dnsType":"TXT"}})");
  REQUIRE(added.status == 200);
  CHECK(nlohmann::json::parse(added.body)["ids"] == nlohmann::json::array({"s1"}));
  CHECK_FALSE(f.engine.Idle());

  const http::Response listed = f.Send("GET", "/faults");
  REQUIRE(listed.status == 200);
  CHECK(nlohmann::json::parse(listed.body)["faults"][0]["id"] == "s1");

  const http::Response reply = mockdns::api::RespondDoh(DohPost("a.example.", wire::rrtype::kTxt),
                                                        f.zone, f.history, &f.engine);
  REQUIRE(reply.status == 200);
  const auto* data = reinterpret_cast<const std::uint8_t*>(reply.body.data());
  auto parsed = wire::Parse({data, reply.body.size()});
  REQUIRE(parsed.ok());
  CHECK(parsed.value().header.rcode == 2);

  const http::Response log = f.Send("GET", "/faults/log");
  REQUIRE(log.status == 200);
  const auto decisions = nlohmann::json::parse(log.body)["decisions"];
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0]["rule"] == "s1");
  CHECK(decisions[0]["subject"] == "TXT a.example over doh");

  CHECK(f.Send("DELETE", "/faults").status == 200);
  CHECK(f.engine.Idle());
}

TEST_CASE("ManagementApi keeps challtestsrv's routes beside /faults",
          "[api][management][dns-faults]") {
  Fixture f;
  CHECK(f.Send("POST", "/set-txt", R"({"host":"a.example","value":"v"})").status == 200);
  CHECK(f.zone.Snapshot().txt.at("a.example.") == std::vector<std::string>{"v"});
  CHECK(f.Send("POST", "/faults", R"({"fault":"bogus"})").status == 400);
}

TEST_CASE("ManagementApi without an engine has no /faults", "[api][management][dns-faults]") {
  Fixture f(false);
  CHECK(f.Send("GET", "/faults").status == 404);
  CHECK(f.Send("POST", "/faults", R"({"fault":"servfail"})").status == 404);
}

TEST_CASE("RespondDoh: a timeout closes without an answer, a delay is left to the server",
          "[api][doh][dns-faults]") {
  Fixture f;
  SECTION("timeout") {
    REQUIRE(f.Send("POST", "/faults", R"({"fault":"timeout"})").status == 200);
    const http::Response reply = mockdns::api::RespondDoh(DohPost("a.example.", wire::rrtype::kA),
                                                          f.zone, f.history, &f.engine);
    CHECK(reply.delivery.mode == http::Delivery::Mode::kClose);
  }
  SECTION("dnsDelay") {
    REQUIRE(f.Send("POST", "/faults", R"({"fault":"dnsDelay","delayMs":60000})").status == 200);
    const auto start = std::chrono::steady_clock::now();
    const http::Response reply = mockdns::api::RespondDoh(DohPost("a.example.", wire::rrtype::kA),
                                                          f.zone, f.history, &f.engine);
    CHECK(reply.status == 200);
    CHECK(reply.delivery.delay == std::chrono::milliseconds(60000));  // the server's timer waits
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
}

}  // namespace

}  // namespace faults_routes_test
