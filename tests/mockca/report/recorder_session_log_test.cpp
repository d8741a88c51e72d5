// Recorder: the state history served to a client, the VA probe log and the fault events
// (conformance.md §0), and their JSON in the report (session_log_json.hpp).
#include <catch2/catch.hpp>

#include "mockca/report/recorder.hpp"
#include "mockca/report/served_status.hpp"
#include "mockca/report/session_log_json.hpp"
#include "tests/mockca/report/recorder_fixture.hpp"

namespace recorder_session_log_test {

namespace {

using mockca::report::FaultEvent;
using mockca::report::ProbeRecord;
using mockca::report::Recorder;
using mockca::report::RecorderLimits;
using mockca::report::StatusChange;
using report_test::kOrigin;
using report_test::Record;
using report_test::Reply;
using report_test::Signed;
using support::KeyKind;
using support::SharedKey;

const std::string kAccount = std::string(kOrigin) + "/my-account/1";
const std::string kOrder = std::string(kOrigin) + "/my-order/o1";
const std::string kFinalize = std::string(kOrigin) + "/finalize-order/o1";
const std::string kAuthz = std::string(kOrigin) + "/authZ/a1";
const std::string kChallenge = std::string(kOrigin) + "/chalZ/c1";

std::string OrderBody(const std::string& status) {
  return R"({"status":")" + status + R"(","finalize":")" + kFinalize + R"("})";
}

http::Request Kid(const std::string& target) {
  return Signed(SharedKey(KeyKind::kP256), target, "n", "", "client/1", kAccount);
}

std::vector<std::string> Changes(const std::vector<StatusChange>& states) {
  std::vector<std::string> out;
  for (const StatusChange& change : states) {
    out.push_back(change.object + " " + change.url.substr(std::string(kOrigin).size()) + " " +
                  change.from + "->" + change.to);
  }
  return out;
}

TEST_CASE("ServedStatuses reads the object and its URL from a successful response",
          "[report][recorder]") {
  mockca::report::Exchange exchange;
  exchange.kind = "newOrder";
  exchange.status = 201;
  exchange.url = std::string(kOrigin) + "/order-plz";
  exchange.response_headers = {{"Location", "/my-order/o1"}};
  auto served = mockca::report::ServedStatuses(exchange, OrderBody("pending"), kOrigin);
  REQUIRE(served.statuses.size() == 1);
  CHECK(served.statuses[0].object == "order");
  CHECK(served.statuses[0].url == kOrder);
  CHECK(served.statuses[0].to == "pending");
  CHECK(served.finalize_url == kFinalize);

  exchange.kind = "authz";
  exchange.status = 200;
  exchange.url = kAuthz;
  served =
      mockca::report::ServedStatuses(exchange,
                                     R"({"status":"pending","challenges":[{"url":")" + kChallenge +
                                         R"(","status":"processing"},{"status":"pending"},7]})",
                                     kOrigin);
  CHECK(Changes(served.statuses) ==
        std::vector<std::string>{"authz /authZ/a1 ->pending", "challenge /chalZ/c1 ->processing"});

  SECTION("nothing for an error, a body without status, or an endpoint with no object") {
    exchange.status = 400;
    CHECK(mockca::report::ServedStatuses(exchange, R"({"status":"valid"})", kOrigin)
              .statuses.empty());
    exchange.status = 200;
    CHECK(mockca::report::ServedStatuses(exchange, R"({"type":"x"})", kOrigin).statuses.empty());
    CHECK(mockca::report::ServedStatuses(exchange, "not json", kOrigin).statuses.empty());
    exchange.kind = "directory";
    CHECK(mockca::report::ServedStatuses(exchange, R"({"status":"valid"})", kOrigin)
              .statuses.empty());
  }
}

TEST_CASE("Recorder keeps each status change once and files finalize under its order",
          "[report][recorder]") {
  Recorder recorder;
  Record(recorder, Kid("/order-plz"), Reply(201, {{"Location", kOrder}}, OrderBody("pending")),
         "newOrder");
  Record(recorder, Kid("/my-order/o1"), Reply(200, {}, OrderBody("pending")), "order");
  Record(recorder, Kid("/my-order/o1"), Reply(200, {}, OrderBody("ready")), "order");
  Record(recorder, Kid("/finalize-order/o1"), Reply(200, {}, OrderBody("processing")), "finalize");
  Record(recorder, Kid("/my-order/o1"), Reply(200, {}, OrderBody("valid")), "order");
  Record(recorder, Kid("/my-order/o1"), Reply(404, {}, OrderBody("invalid")), "order");

  const auto client = recorder.SnapshotOf(kAccount);
  REQUIRE(client);
  CHECK(Changes(client->states) ==
        std::vector<std::string>{
            "order /my-order/o1 ->pending", "order /my-order/o1 pending->ready",
            "order /my-order/o1 ready->processing", "order /my-order/o1 processing->valid"});
  // Each change names the exchange that showed it.
  CHECK(client->states[1].exchange == client->exchanges[2].id);
  CHECK(client->states[2].exchange == client->exchanges[3].id);
}

TEST_CASE("Recorder files VA probes and fault events under their account", "[report][recorder]") {
  Recorder recorder;
  Record(recorder, Kid("/chalZ/c1"), Reply(200, {}, R"({"status":"processing"})"), "challenge");
  ProbeRecord probe;
  probe.challenge_type = "http-01";
  probe.identifier = "a.test";
  probe.target = "http://a.test:5002/.well-known/acme-challenge/t";
  probe.problem_type = "urn:ietf:params:acme:error:connection";
  recorder.RecordProbe(kAccount, probe);
  recorder.RecordFault(kAccount, FaultEvent{report_test::kT0, "slow", "stuckProcessing", "order",
                                            "POST /my-order/o1"});
  // Without an account there is nobody to file it under.
  recorder.RecordProbe("", probe);
  recorder.RecordFault("", FaultEvent{});

  const auto clients = recorder.Snapshot();
  REQUIRE(clients.size() == 1);
  REQUIRE(clients[0].probes.size() == 1);
  CHECK(clients[0].probes[0].target == probe.target);
  REQUIRE(clients[0].fault_events.size() == 1);
  CHECK(clients[0].fault_events[0].rule == "slow");

  SECTION("a probe for an account not seen yet starts its record") {
    recorder.RecordProbe(std::string(kOrigin) + "/my-account/2", probe);
    CHECK(recorder.Snapshot().size() == 2);
    CHECK(recorder.SnapshotOf(std::string(kOrigin) + "/my-account/2")->account_url ==
          std::string(kOrigin) + "/my-account/2");
  }
  SECTION("recording off keeps nothing") {
    Recorder off(RecorderLimits{false, 10, 10});
    off.RecordProbe(kAccount, probe);
    off.RecordFault(kAccount, FaultEvent{});
    CHECK(off.Snapshot().empty());
  }
}

TEST_CASE("Recorder caps the probe log and fault events per client", "[report][recorder]") {
  Recorder recorder(RecorderLimits{true, 3, 10});
  for (int i = 0; i < 5; ++i) {
    ProbeRecord probe;
    probe.token = std::to_string(i);
    recorder.RecordProbe(kAccount, probe);
    recorder.RecordFault(kAccount, FaultEvent{report_test::kT0, std::to_string(i), "", "", ""});
  }
  const auto client = recorder.SnapshotOf(kAccount);
  REQUIRE(client);
  REQUIRE(client->probes.size() == 3);
  CHECK(client->probes.front().token == "2");
  CHECK(client->probes.back().token == "4");
  REQUIRE(client->fault_events.size() == 3);
  CHECK(client->fault_events.front().rule == "2");
}

TEST_CASE("The report gives probes and state history and fault events and the fired rules",
          "[report][json]") {
  mockca::report::ClientRecord client;
  ProbeRecord probe{report_test::kT0 + std::chrono::milliseconds(250),
                    std::chrono::microseconds(1500),
                    "dns-01",
                    "a.test",
                    "tok",
                    "TXT _acme-challenge.a.test",
                    false,
                    "urn:ietf:params:acme:error:unauthorized",
                    "no TXT record"};
  client.probes = {probe};
  client.states = {StatusChange{4, report_test::kT0, "order", kOrder, "pending", "ready"}};
  client.fault_events = {FaultEvent{report_test::kT0, "gone", "failValidation", "dns-01", "s"}};
  client.exchanges.emplace_back();
  client.exchanges.back().fault_rules = {"busy"};

  const nlohmann::json probes = mockca::report::ProbesJson(client.probes);
  CHECK(probes == nlohmann::json::parse(R"([{"time":"2023-11-14T22:13:20.250Z","durationMs":1.5,
      "challenge":"dns-01","identifier":"a.test","token":"tok","target":"TXT _acme-challenge.a.test",
      "valid":false,"problem":"urn:ietf:params:acme:error:unauthorized","detail":"no TXT record"}])"));
  CHECK(mockca::report::StatusChangesJson(client.states) ==
        nlohmann::json::parse(R"([{"exchange":4,"time":"2023-11-14T22:13:20.000Z","object":"order",
      "url":")" + kOrder + R"(","from":"pending","to":"ready"}])"));
  CHECK(mockca::report::FaultEventsJson(client.fault_events)[0]["rule"] == "gone");

  const nlohmann::json engine = {
      {"faults", {{{"id", "idle"}}, {{"id", "busy"}, {"fault", "error"}}}}, {"seed", 1}};
  CHECK(mockca::report::FiredRulesJson(client, engine) ==
        nlohmann::json::parse(R"([{"id":"busy","fault":"error"},{"id":"gone"}])"));
  CHECK(mockca::report::FiredRulesJson(client, nlohmann::json()) ==
        nlohmann::json::parse(R"([{"id":"busy"},{"id":"gone"}])"));
}

}  // namespace

namespace {

TEST_CASE("Recorder names the key each JWS is checked with and follows a key rollover",
          "[report][recorder]") {
  Recorder recorder;
  const auto& old_key = SharedKey(KeyKind::kP256);
  const auto& new_key = SharedKey(KeyKind::kP384);
  Record(recorder, Signed(old_key, "/sign-me-up", "n1", "{}", "client/1"),
         Reply(201, {{"Location", kAccount}}), "newAccount");
  Record(recorder, Signed(old_key, "/order-plz", "n2", "{}", "client/1", kAccount), Reply(201, {}),
         "newOrder");
  nlohmann::json inner_header = support::AcmeHeader(new_key, std::string(kOrigin) + "/rollover");
  const nlohmann::json inner =
      support::SignFlattened(new_key, inner_header, nlohmann::json{{"account", kAccount}}.dump());
  Record(recorder, Signed(old_key, "/rollover", "n3", inner.dump(), "client/1", kAccount),
         Reply(200, {}), "keyChange");
  Record(recorder, Signed(new_key, "/order-plz", "n4", "{}", "client/1", kAccount), Reply(201, {}),
         "newOrder");

  const auto client = recorder.SnapshotOf(kAccount);
  REQUIRE(client);
  REQUIRE(client->exchanges.size() == 4);
  const std::string old_id = client->exchanges[0].jws->verifying_key;
  CHECK(old_id.rfind("key:", 0) == 0);
  CHECK(client->exchanges[1].jws->verifying_key == old_id);  // kid → the account's key
  CHECK(client->exchanges[2].jws->verifying_key == old_id);  // keyChange: signed by the old key
  const std::string new_id = client->exchanges[3].jws->verifying_key;
  CHECK(new_id.rfind("key:", 0) == 0);
  CHECK(new_id != old_id);

  SECTION("an unknown account's key is not guessed") {
    Recorder fresh;
    Record(fresh, Signed(old_key, "/order-plz", "n1", "{}", "client/1", kAccount), Reply(201, {}),
           "newOrder");
    CHECK(fresh.Snapshot().at(0).exchanges.at(0).jws->verifying_key.empty());
  }
}

}  // namespace

}  // namespace recorder_session_log_test
