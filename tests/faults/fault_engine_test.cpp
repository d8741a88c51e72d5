#include "faults/fault_engine.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "common/json.hpp"

namespace fault_engine_test {

namespace {

using faults::Facts;
using faults::FaultEngine;
using faults::Stage;

const common::FakeClock kClock{std::chrono::system_clock::time_point{}};

faults::FaultRule Rule(const char* json) {
  auto rule = faults::ParseFaultRule(nlohmann::json::parse(json));
  REQUIRE(rule.ok());
  return std::move(rule).value();
}

std::string AddRule(FaultEngine& engine, const char* json) {
  auto id = engine.Add(Rule(json));
  REQUIRE(id.ok());
  return id.value();
}

Facts At(std::string where, std::string method = "POST") {
  Facts facts;
  facts.where = std::move(where);
  facts.method = std::move(method);
  facts.subject = facts.method + " /" + facts.where;
  return facts;
}

// Which of the first `requests` matching requests fire (1-based indexes).
std::vector<int> FiringIndexes(FaultEngine& engine, Stage stage, const Facts& facts, int requests) {
  std::vector<int> fired;
  for (int i = 1; i <= requests; ++i) {
    if (!engine.Match(stage, facts).empty()) {
      fired.push_back(i);
    }
  }
  return fired;
}

TEST_CASE("An engine without rules is idle and matches nothing", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  CHECK(engine.Idle());
  CHECK(engine.Match(Stage::kRequest, At("newOrder")).empty());
  const std::string id = AddRule(engine, R"({"fault":"drop"})");
  CHECK(id == "r1");
  CHECK_FALSE(engine.Idle());
  CHECK(engine.Remove(id));
  CHECK_FALSE(engine.Remove(id));
  CHECK(engine.Idle());
  AddRule(engine, R"({"fault":"drop"})");
  AddRule(engine, R"({"fault":"reset"})");
  CHECK_FALSE(engine.Idle());
  engine.Clear();
  CHECK(engine.Idle());
  CHECK(engine.RulesJson()["faults"].empty());
}

TEST_CASE("Add assigns free ids and refuses a duplicate", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  CHECK(AddRule(engine, R"({"id":"r2","fault":"drop"})") == "r2");
  CHECK(AddRule(engine, R"({"fault":"drop"})") == "r1");
  CHECK(AddRule(engine, R"({"fault":"drop"})") == "r3");  // r2 is taken
  const auto duplicate = engine.Add(Rule(R"({"id":"r1","fault":"reset"})"));
  REQUIRE_FALSE(duplicate.ok());
  CHECK_THAT(duplicate.error(), Catch::Contains("r1"));
  // AddAll is all-or-nothing, and sees duplicates inside the batch too.
  const auto batch =
      engine.AddAll({Rule(R"({"id":"x","fault":"drop"})"), Rule(R"({"id":"x","fault":"drop"})")});
  CHECK_FALSE(batch.ok());
  CHECK(engine.RulesJson()["faults"].size() == 3);
}

TEST_CASE("F-503: nth fires on the nth matching request only", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine, R"({"fault":"error","status":503,"where":"newOrder","when":{"nth":2}})");
  CHECK(FiringIndexes(engine, Stage::kRequest, At("newOrder"), 5) == std::vector<int>{2});
}

TEST_CASE("every fires on each kth matching request", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine, R"({"fault":"drop","when":{"every":3}})");
  CHECK(FiringIndexes(engine, Stage::kRequest, At("order"), 10) == std::vector<int>{3, 6, 9});
}

TEST_CASE("first fires on the first K, and conditions combine with AND", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine, R"({"fault":"drop","when":{"first":3}})");
  CHECK(FiringIndexes(engine, Stage::kRequest, At("order"), 6) == std::vector<int>{1, 2, 3});
  FaultEngine both(1, kClock);
  AddRule(both, R"({"fault":"drop","when":{"first":5,"every":2}})");
  CHECK(FiringIndexes(both, Stage::kRequest, At("order"), 10) == std::vector<int>{2, 4});
}

TEST_CASE("F-503(n): times caps the firings, matched keeps counting", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine, R"({"fault":"error","status":503,"times":2})");
  CHECK(FiringIndexes(engine, Stage::kRequest, At("finalize"), 5) == std::vector<int>{1, 2});
  const nlohmann::json rule = engine.RulesJson()["faults"][0];
  CHECK(rule["matched"] == 5);
  CHECK(rule["fired"] == 2);
}

TEST_CASE("F-NONCE-REJECT: probability fires at about p, reproducibly per seed",
          "[faults][engine]") {
  const auto run = [](std::uint64_t seed) {
    FaultEngine engine(seed, kClock);
    AddRule(engine, R"({"id":"nonce","fault":"badNonce","when":{"probability":0.3}})");
    return FiringIndexes(engine, Stage::kNonce, At("newOrder"), 10'000);
  };
  const std::vector<int> first = run(42);
  CHECK(first.size() > 2800);
  CHECK(first.size() < 3200);
  CHECK(run(42) == first);
  CHECK(run(43) != first);

  FaultEngine never(1, kClock);
  AddRule(never, R"({"fault":"badNonce","when":{"probability":0}})");
  CHECK(FiringIndexes(never, Stage::kNonce, At("newOrder"), 1000).empty());
  FaultEngine always(1, kClock);
  AddRule(always, R"({"fault":"badNonce","when":{"probability":1}})");
  CHECK(FiringIndexes(always, Stage::kNonce, At("newOrder"), 1000).size() == 1000);
}

TEST_CASE("A rule fires only at its own stage and where", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine, R"({"fault":"error","where":["newOrder","finalize"]})");
  CHECK(engine.Match(Stage::kRequest, At("newOrder")).size() == 1);
  CHECK(engine.Match(Stage::kRequest, At("finalize")).size() == 1);
  CHECK(engine.Match(Stage::kRequest, At("order")).empty());
  CHECK(engine.Match(Stage::kResponse, At("newOrder")).empty());
  CHECK(engine.Match(Stage::kNonce, At("newOrder")).empty());

  FaultEngine anywhere(1, kClock);
  AddRule(anywhere, R"({"fault":"omitHeader","header":"Link","where":"*"})");
  CHECK(anywhere.Match(Stage::kResponse, At("directory")).size() == 1);
  CHECK(anywhere.Match(Stage::kResponse, At("certificate")).size() == 1);
  CHECK(anywhere.Match(Stage::kRequest, At("certificate")).empty());
}

TEST_CASE("Several rules fire for one request, in rule order", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine, R"({"id":"slow","fault":"delay","delayMs":10})");
  AddRule(engine, R"({"id":"other","fault":"drop","where":"order"})");
  AddRule(engine, R"({"id":"boom","fault":"error","status":503,"type":"rateLimited"})");
  const auto injections = engine.Match(Stage::kRequest, At("newOrder"));
  REQUIRE(injections.size() == 2);
  CHECK(injections[0].rule_id == "slow");
  CHECK(injections[0].fault.delay_ms == 10);
  CHECK(injections[1].rule_id == "boom");
  CHECK(injections[1].fault.status == 503);
  CHECK(injections[1].fault.problem_type == "urn:ietf:params:acme:error:rateLimited");
}

TEST_CASE("Filters: method, account suffix, identifier", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine, R"({"fault":"drop","when":{"method":"post"}})");
  CHECK(engine.Match(Stage::kRequest, At("order", "POST")).size() == 1);
  CHECK(engine.Match(Stage::kRequest, At("order", "GET")).empty());

  FaultEngine by_account(1, kClock);
  AddRule(by_account, R"({"fault":"drop","when":{"account":"7"}})");
  Facts facts = At("newOrder");
  facts.account = "https://ca.test/my-account/7";
  CHECK(by_account.Match(Stage::kRequest, facts).size() == 1);
  facts.account = "https://ca.test/my-account/17";  // a suffix, but not a path segment
  CHECK(by_account.Match(Stage::kRequest, facts).empty());
  facts.account = "7";
  CHECK(by_account.Match(Stage::kRequest, facts).size() == 1);
  facts.account = "";
  CHECK(by_account.Match(Stage::kRequest, facts).empty());

  FaultEngine by_identifier(1, kClock);
  AddRule(by_identifier, R"({"fault":"failValidation","when":{"identifier":"B.Example"}})");
  Facts challenge = At("dns-01");
  challenge.identifiers = {"a.example", "b.example"};
  CHECK(by_identifier.Match(Stage::kValidation, challenge).size() == 1);
  challenge.identifiers = {"a.example"};
  CHECK(by_identifier.Match(Stage::kValidation, challenge).empty());
}

TEST_CASE("Filters: DNS name ignores case and a trailing dot, DNS type ignores case",
          "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine,
          R"({"fault":"servfail","when":{"dnsName":"_ACME-challenge.a.test.","dnsType":"txt"}})");
  Facts facts = At("dns", "");
  facts.dns_name = "_acme-challenge.a.test";
  facts.dns_type = "TXT";
  CHECK(engine.Match(Stage::kDns, facts).size() == 1);
  facts.dns_type = "A";
  CHECK(engine.Match(Stage::kDns, facts).empty());
  facts.dns_type = "TXT";
  facts.dns_name = "b.test";
  CHECK(engine.Match(Stage::kDns, facts).empty());
}

TEST_CASE("Counting runs over the requests that pass the filters only", "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine, R"({"fault":"drop","where":"finalize","when":{"nth":2,"method":"POST"}})");
  CHECK(engine.Match(Stage::kRequest, At("finalize", "POST")).empty());
  CHECK(engine.Match(Stage::kRequest, At("finalize", "GET")).empty());
  CHECK(engine.Match(Stage::kRequest, At("order", "POST")).empty());
  CHECK(engine.Match(Stage::kRequest, At("finalize", "POST")).size() == 1);
}

TEST_CASE("F-FINALIZE-ASYNC: stuckProcessing holds each object for `polls` reads",
          "[faults][engine]") {
  FaultEngine engine(1, kClock);
  AddRule(engine, R"({"fault":"stuckProcessing","where":"order","polls":2})");
  Facts first = At("order", "POST");
  first.object_id = "order-1";
  Facts second = first;
  second.object_id = "order-2";
  CHECK(engine.Match(Stage::kState, first).size() == 1);
  CHECK(engine.Match(Stage::kState, second).size() == 1);
  CHECK(engine.Match(Stage::kState, first).size() == 1);
  CHECK(engine.Match(Stage::kState, first).empty());
  CHECK(engine.Match(Stage::kState, second).size() == 1);
  CHECK(engine.Match(Stage::kState, second).empty());
  CHECK(engine.Match(Stage::kState, At("authz")).empty());  // where: order only
}

TEST_CASE("Concurrent Match from several threads keeps the counts exact", "[faults][engine]") {
  FaultEngine engine(9, kClock);
  AddRule(engine, R"({"id":"all","fault":"delay","delayMs":0})");
  AddRule(engine, R"({"id":"half","fault":"drop","when":{"every":2}})");
  AddRule(engine, R"({"id":"some","fault":"reset","when":{"probability":0.5}})");
  constexpr int kThreads = 4;
  constexpr int kRequests = 2000;
  std::atomic<int> injections{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&engine, &injections, t] {
      for (int i = 0; i < kRequests; ++i) {
        Facts facts = At("newOrder");
        facts.subject = "thread " + std::to_string(t);
        injections += static_cast<int>(engine.Match(Stage::kRequest, facts).size());
        if (i % 500 == 0) {
          (void)engine.RulesJson();
          (void)engine.DecisionLines();
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  const nlohmann::json rules = engine.RulesJson()["faults"];
  CHECK(rules[0]["matched"] == kThreads * kRequests);
  CHECK(rules[0]["fired"] == kThreads * kRequests);
  CHECK(rules[1]["fired"] == kThreads * kRequests / 2);
  const int fired =
      rules[0]["fired"].get<int>() + rules[1]["fired"].get<int>() + rules[2]["fired"].get<int>();
  CHECK(injections == fired);
  // The probabilistic draws depend on n only, not on thread interleaving.
  FaultEngine serial(9, kClock);
  AddRule(serial, R"({"id":"some","fault":"reset","when":{"probability":0.5}})");
  CHECK(FiringIndexes(serial, Stage::kRequest, At("newOrder"), kThreads * kRequests).size() ==
        rules[2]["fired"].get<std::size_t>());
}

}  // namespace

namespace {

TEST_CASE("The decision sink hears each firing with its stage and nothing else",
          "[faults][engine]") {
  std::vector<faults::Decision> heard;
  FaultEngine engine(7, kClock, [&heard](const faults::Decision& d) { heard.push_back(d); });
  AddRule(engine, R"({"id":"second","where":"newOrder","fault":"error","when":{"nth":2}})");
  AddRule(engine, R"({"id":"stuck","where":"order","fault":"stuckProcessing","polls":1})");

  CHECK(engine.Match(Stage::kRequest, At("newOrder")).empty());
  CHECK(heard.empty());
  CHECK(engine.Match(Stage::kRequest, At("newOrder")).size() == 1);
  REQUIRE(heard.size() == 1);
  CHECK(heard[0].rule_id == "second");
  CHECK(heard[0].stage == Stage::kRequest);
  CHECK(heard[0].match_index == 2);

  Facts read = At("order");
  read.object_id = "o1";
  read.account = "https://ca.test/acct/1";
  CHECK(engine.Match(Stage::kState, read).size() == 1);
  REQUIRE(heard.size() == 2);
  CHECK(heard[1].stage == Stage::kState);
  CHECK(heard[1].fault == "stuckProcessing");
  CHECK(heard[1].account == "https://ca.test/acct/1");
  // The sink heard exactly what the log holds.
  CHECK(engine.LogJson()["decisions"].size() == heard.size());
}

}  // namespace

}  // namespace fault_engine_test
