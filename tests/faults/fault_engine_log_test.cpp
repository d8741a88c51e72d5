#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/json.hpp"
#include "faults/fault_engine.hpp"

namespace fault_engine_log_test {

namespace {

using faults::Facts;
using faults::FaultEngine;
using faults::Stage;

void AddRule(FaultEngine& engine, const char* json) {
  auto rule = faults::ParseFaultRule(nlohmann::json::parse(json));
  REQUIRE(rule.ok());
  REQUIRE(engine.Add(std::move(rule).value()).ok());
}

Facts Request(const std::string& where, int client) {
  Facts facts;
  facts.where = where;
  facts.method = "POST";
  facts.account = "https://ca.test/my-account/" + std::to_string(client);
  facts.subject = "POST /" + where + "/" + std::to_string(client);
  return facts;
}

// A scripted mix of requests at every stage the scenario rules use.
void FeedScenario(FaultEngine& engine, common::FakeClock& clock) {
  const char* const endpoints[] = {"newNonce", "newOrder", "order", "finalize", "certificate"};
  for (int i = 0; i < 3000; ++i) {
    const Facts facts = Request(endpoints[i % 5], i % 7);
    engine.Match(Stage::kRequest, facts);
    engine.Match(Stage::kNonce, facts);
    engine.Match(Stage::kResponse, facts);
    clock.Advance(std::chrono::milliseconds(1 + i % 13));
  }
}

void AddScenarioRules(FaultEngine& engine) {
  // hostile-network (conformance.md Part C): F-NONCE-REJECT 0.3, F-503(newOrder, n=1, RA=5),
  // F-429(finalize, RA=10), F-CONN-RESET.
  AddRule(engine, R"({"fault":"badNonce","when":{"probability":0.3}})");
  AddRule(engine, R"({"fault":"error","where":"newOrder","status":503,"retryAfter":5,
                      "times":1})");
  AddRule(engine, R"({"fault":"error","where":"finalize","status":429,"type":"rateLimited",
                      "retryAfter":10,"when":{"every":4}})");
  AddRule(engine, R"({"fault":"reset","where":"certificate","when":{"probability":0.1}})");
  AddRule(engine, R"({"fault":"extraFields","when":{"probability":0.05,"account":"3"}})");
}

std::string Run(std::uint64_t seed) {
  common::FakeClock clock(std::chrono::system_clock::time_point{} + std::chrono::hours(1));
  FaultEngine engine(seed, clock);
  AddScenarioRules(engine);
  FeedScenario(engine, clock);
  return engine.DecisionLines();
}

TEST_CASE("Two runs with the same seed give byte-identical decision logs", "[faults][log]") {
  const std::string first = Run(2024);
  CHECK_FALSE(first.empty());
  CHECK(Run(2024) == first);
  CHECK(Run(2025) != first);
}

TEST_CASE("DecisionLines: one compact JSON object per line, in seq order, without time",
          "[faults][log]") {
  std::istringstream lines(Run(7));
  std::string line;
  std::uint64_t expected_seq = 1;
  while (std::getline(lines, line)) {
    const nlohmann::json decision = nlohmann::json::parse(line);
    CHECK(decision["seq"] == expected_seq++);
    CHECK_FALSE(decision.contains("time"));
    CHECK(decision.contains("rule"));
    CHECK(decision.contains("fault"));
    CHECK(decision.contains("where"));
    CHECK(decision.contains("subject"));
    CHECK(decision.contains("account"));
    CHECK(decision["match"].get<std::uint64_t>() >= 1);
    CHECK(line == decision.dump());
  }
  CHECK(expected_seq > 100);
}

TEST_CASE("LogJson records each firing with an RFC 3339 time", "[faults][log]") {
  common::FakeClock clock(std::chrono::system_clock::time_point{} + std::chrono::hours(24) +
                          std::chrono::milliseconds(42));
  FaultEngine engine(1, clock);
  AddRule(engine, R"({"id":"busy","fault":"error","status":503,"where":"newOrder",
                      "when":{"nth":2}})");
  engine.Match(Stage::kRequest, Request("newOrder", 1));
  engine.Match(Stage::kRequest, Request("newOrder", 2));
  const nlohmann::json log = engine.LogJson()["decisions"];
  REQUIRE(log.size() == 1);
  CHECK(log[0] == nlohmann::json{{"seq", 1},
                                 {"time", "1970-01-02T00:00:00.042Z"},
                                 {"rule", "busy"},
                                 {"fault", "error"},
                                 {"where", "newOrder"},
                                 {"subject", "POST /newOrder/2"},
                                 {"account", "https://ca.test/my-account/2"},
                                 {"match", 2}});
  engine.Clear();  // the log stays
  CHECK(engine.LogJson()["decisions"].size() == 1);
  engine.ClearLog();
  CHECK(engine.LogJson()["decisions"].empty());
  CHECK(engine.DecisionLines().empty());
}

TEST_CASE("The log keeps the last kLogCapacity decisions, oldest first", "[faults][log]") {
  common::FakeClock clock(std::chrono::system_clock::time_point{});
  FaultEngine engine(1, clock);
  AddRule(engine, R"({"fault":"drop"})");
  constexpr std::size_t kExtra = 2'345;
  for (std::size_t i = 0; i < FaultEngine::kLogCapacity + kExtra; ++i) {
    engine.Match(Stage::kRequest, Request("order", 1));
  }
  const nlohmann::json log = engine.LogJson()["decisions"];
  REQUIRE(log.size() == FaultEngine::kLogCapacity);
  CHECK(log.front()["seq"] == kExtra + 1);
  CHECK(log.back()["seq"] == FaultEngine::kLogCapacity + kExtra);
  for (std::size_t i = 1; i < log.size(); ++i) {
    REQUIRE(log[i]["seq"].get<std::size_t>() == log[i - 1]["seq"].get<std::size_t>() + 1);
  }

  // After ClearLog, seq keeps counting and the ring refills in order.
  engine.ClearLog();
  for (std::size_t i = 0; i < FaultEngine::kLogCapacity + 3; ++i) {
    engine.Match(Stage::kRequest, Request("order", 1));
  }
  const nlohmann::json refilled = engine.LogJson()["decisions"];
  REQUIRE(refilled.size() == FaultEngine::kLogCapacity);
  CHECK(refilled.front()["seq"] == FaultEngine::kLogCapacity + kExtra + 4);
  CHECK(refilled.back()["seq"] == 2 * FaultEngine::kLogCapacity + kExtra + 3);
}

TEST_CASE("RulesJson lists the seed and each rule with matched and fired", "[faults][log]") {
  common::FakeClock clock(std::chrono::system_clock::time_point{});
  FaultEngine engine(77, clock);
  AddRule(engine, R"({"id":"a","fault":"drop","where":"order","when":{"nth":2}})");
  engine.Match(Stage::kRequest, Request("order", 1));
  engine.Match(Stage::kRequest, Request("order", 1));
  engine.Match(Stage::kRequest, Request("order", 1));
  CHECK(engine.RulesJson() == nlohmann::json::parse(R"({"seed":77,"faults":[
      {"id":"a","fault":"drop","where":["order"],"when":{"nth":2},"matched":3,"fired":1}]})"));
  CHECK(engine.seed() == 77);
}

}  // namespace

}  // namespace fault_engine_log_test
