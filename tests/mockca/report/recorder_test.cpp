// Recorder: which client an exchange is attributed to (recorder.hpp), what an Exchange holds.
#include "mockca/report/recorder.hpp"

#include <catch2/catch.hpp>

#include "mockca/report/jws_decode.hpp"
#include "tests/mockca/report/recorder_fixture.hpp"

namespace recorder_test {

namespace {

using mockca::report::ClientRecord;
using mockca::report::Recorder;
using report_test::kOrigin;
using report_test::Record;
using report_test::Reply;
using report_test::Signed;
using report_test::Unsigned;
using support::KeyKind;
using support::SharedKey;

const std::string kAccount = std::string(kOrigin) + "/my-account/1";

std::vector<std::uint64_t> Ids(const ClientRecord& client) {
  std::vector<std::uint64_t> ids;
  for (const auto& exchange : client.exchanges) {
    ids.push_back(exchange.id);
  }
  return ids;
}

std::string KeyId(const support::TestKey& key) {
  // The thumbprint the recorder derives, via a request it attributes.
  Recorder probe;
  Record(probe, Signed(key, "/sign-me-up", "n", "{}", "probe/1"), Reply(400, {}), "newAccount");
  return probe.Snapshot().at(0).id;
}

TEST_CASE("Recorder attributes a kid request to the account URL", "[report][recorder]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  Record(recorder, Signed(key, "/order-plz", "n1", R"({"identifiers":[]})", "client/1", kAccount),
         Reply(201, {{"Location", kAccount + "/../my-order/1"}}), "newOrder");
  const auto clients = recorder.Snapshot();
  REQUIRE(clients.size() == 1);
  CHECK(clients[0].id == kAccount);
  CHECK(clients[0].account_url == kAccount);
  CHECK(clients[0].user_agent == "client/1");
  REQUIRE(clients[0].exchanges.size() == 1);
  const auto& exchange = clients[0].exchanges[0];
  CHECK(exchange.id >= 1);
  CHECK(exchange.kind == "newOrder");
  CHECK(exchange.method == "POST");
  CHECK(exchange.url == std::string(kOrigin) + "/order-plz");
  CHECK(exchange.remote == "192.0.2.7:50000");
  CHECK(exchange.status == 201);
  CHECK(exchange.RequestHeader("user-agent") == "client/1");
  CHECK(exchange.ResponseHeader("LOCATION") == kAccount + "/../my-order/1");
  CHECK(exchange.received == report_test::kT0);
  CHECK(exchange.duration == std::chrono::microseconds(5));
  REQUIRE(exchange.jws);
  CHECK(exchange.jws->kid == kAccount);
  CHECK(exchange.jws->payload == nlohmann::json::parse(R"({"identifiers":[]})"));
}

TEST_CASE("Recorder merges a key's record into its account on newAccount", "[report][recorder]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  const std::string key_id = KeyId(key);
  REQUIRE(key_id.rfind("key:", 0) == 0);

  // A failed newAccount first (the key's own record), then a 201 with Location.
  Record(recorder, Signed(key, "/sign-me-up", "n1", "{}", "client/1"),
         Reply(400, {{"Replay-Nonce", "n2"}}), "newAccount");
  CHECK(recorder.Snapshot().at(0).id == key_id);
  Record(recorder, Signed(key, "/sign-me-up", "n2", "{}", "client/1"),
         Reply(201, {{"Location", kAccount}, {"Replay-Nonce", "n3"}}), "newAccount");
  Record(recorder, Signed(key, "/order-plz", "n3", "{}", "client/1", kAccount), Reply(201, {}),
         "newOrder");
  // Later jwk requests with the same key go to the account too.
  Record(recorder, Signed(key, "/revoke-cert", "n4", "{}", "client/1"), Reply(200, {}),
         "revokeCert");

  const auto clients = recorder.Snapshot();
  REQUIRE(clients.size() == 1);
  CHECK(clients[0].id == kAccount);
  CHECK(clients[0].account_url == kAccount);
  CHECK(Ids(clients[0]) == std::vector<std::uint64_t>{1, 2, 3, 4});
  CHECK(recorder.SnapshotOf(kAccount));
  // The key's id finds the account's record.
  const auto by_key = recorder.SnapshotOf(key_id);
  REQUIRE(by_key);
  CHECK(by_key->id == kAccount);
  CHECK_FALSE(recorder.SnapshotOf("https://elsewhere/acct/9"));
}

TEST_CASE("Recorder keeps a newAccount 200 for an existing key in the same account",
          "[report][recorder]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  Record(recorder, Signed(key, "/sign-me-up", "n1", "{}", "c/1"),
         Reply(201, {{"Location", kAccount}}), "newAccount");
  Record(recorder, Signed(key, "/sign-me-up", "n2", R"({"onlyReturnExisting":true})", "c/1"),
         Reply(200, {{"Location", kAccount}}), "newAccount");
  const auto clients = recorder.Snapshot();
  REQUIRE(clients.size() == 1);
  CHECK(clients[0].exchanges.size() == 2);
}

TEST_CASE("Recorder attributes unsigned requests by User-Agent", "[report][recorder]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);

  // Before any signed request: an anonymous record per User-Agent.
  Record(recorder, Unsigned("GET", "/dir", "client/1"), Reply(200, {}), "directory");
  Record(recorder, Unsigned("HEAD", "/nonce-plz", "client/1"), Reply(200, {{"Replay-Nonce", "n1"}}),
         "newNonce");
  Record(recorder, Unsigned("GET", "/dir", "other/2"), Reply(200, {}), "directory");
  {
    const auto clients = recorder.Snapshot();
    REQUIRE(clients.size() == 2);
    CHECK(clients[0].id == "anonymous:client/1");
    CHECK(clients[0].exchanges.size() == 2);
    CHECK(clients[1].id == "anonymous:other/2");
  }

  // The first signed request with that User-Agent takes its anonymous record over.
  Record(recorder, Signed(key, "/sign-me-up", "n1", "{}", "client/1"),
         Reply(201, {{"Location", kAccount}}), "newAccount");
  // Later unsigned requests with that User-Agent go to the signed client.
  Record(recorder, Unsigned("GET", "/renewal-info/abc.def", "client/1"), Reply(200, {}),
         "renewalInfo");
  // A malformed POST (no JWS) goes by User-Agent too.
  http::Request malformed = Unsigned("POST", "/order-plz", "client/1");
  malformed.body = "not json";
  Record(recorder, malformed, Reply(400, {}), "newOrder");

  const auto clients = recorder.Snapshot();
  REQUIRE(clients.size() == 2);
  CHECK(clients[0].id == kAccount);
  CHECK(clients[0].user_agent == "client/1");
  CHECK(Ids(clients[0]) == std::vector<std::uint64_t>{1, 2, 4, 5, 6});
  CHECK_FALSE(clients[0].exchanges.back().jws);
  CHECK(clients[1].id == "anonymous:other/2");
  CHECK_FALSE(recorder.SnapshotOf("anonymous:client/1"));
}

TEST_CASE("Recorder gives unsigned requests to the client that signed last with that UA",
          "[report][recorder]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  const std::string account2 = std::string(kOrigin) + "/my-account/2";
  Record(recorder, Signed(key, "/x", "n1", "", "same/1", kAccount), Reply(200, {}), "account");
  Record(recorder, Signed(key, "/x", "n2", "", "same/1", account2), Reply(200, {}), "account");
  Record(recorder, Unsigned("GET", "/dir", "same/1"), Reply(200, {}), "directory");
  CHECK(recorder.SnapshotOf(kAccount)->exchanges.size() == 1);
  CHECK(recorder.SnapshotOf(account2)->exchanges.size() == 2);
}

TEST_CASE("Recorder records a request without User-Agent as anonymous with an empty UA",
          "[report][recorder]") {
  Recorder recorder;
  Record(recorder, Unsigned("HEAD", "/nonce-plz", ""), Reply(200, {}), "newNonce");
  const auto clients = recorder.Snapshot();
  REQUIRE(clients.size() == 1);
  CHECK(clients[0].id == "anonymous:");
  CHECK(clients[0].exchanges[0].RequestHeader("User-Agent").empty());
}

TEST_CASE("Recorder caps bodies and records problem types", "[report][recorder]") {
  Recorder recorder;
  http::Request request = Unsigned("POST", "/big", "c/1");
  request.body = std::string(mockca::report::Exchange::kBodyCap + 10, 'x');
  const std::string problem =
      R"({"type":"urn:ietf:params:acme:error:malformed","detail":"no","status":400})";
  Record(recorder, request, Reply(400, {{"Content-Type", "application/problem+json"}}, problem),
         "");
  Record(recorder, Unsigned("HEAD", "/nonce-plz", "c/1"), Reply(200, {}, "ignored"), "newNonce");
  Record(recorder, Unsigned("GET", "/dir", "c/1"),
         Reply(200, {{"Content-Type", "application/json"}}, R"({"type":"x"})"), "directory");
  const auto client = recorder.Snapshot().at(0);
  const auto& big = client.exchanges[0];
  CHECK(big.request_body.size() == mockca::report::Exchange::kBodyCap);
  CHECK(big.request_body_truncated);
  CHECK_FALSE(big.jws);  // not a JSON object
  CHECK(big.problem_type == "urn:ietf:params:acme:error:malformed");
  CHECK(big.response_body == problem);
  CHECK_FALSE(big.response_body_truncated);
  CHECK(client.exchanges[1].response_body.empty());  // HEAD: nothing sent
  CHECK(client.exchanges[2].problem_type.empty());   // a 200 JSON body is no problem
}

TEST_CASE("Recorder's snapshot has each JWS decoded in full, whole body or truncated",
          "[report][recorder]") {
  // While recording, the Recorder keeps of a whole body's JWS only what it needs (the rest is
  // decoded from the kept body for the snapshot); a truncated body's JWS is decoded in full at
  // once.
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  const http::Request whole =
      Signed(key, "/my-order/1", "n1", R"({"identifiers":[{"type":"dns","value":"a.test"}]})",
             "c/1", kAccount);
  const std::string padding(mockca::report::Exchange::kBodyCap, 'x');
  const http::Request truncated =
      Signed(key, "/my-order/2", "n2", R"({"pad":")" + padding + R"("})", "c/1", kAccount);
  Record(recorder, whole, Reply(200, {}), "order");
  Record(recorder, truncated, Reply(200, {}), "order");
  const auto client = recorder.SnapshotOf(kAccount);
  REQUIRE(client);
  REQUIRE(client->exchanges.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const http::Request& request = i == 0 ? whole : truncated;
    INFO(i);
    const auto& jws = client->exchanges[i].jws;
    const auto expected = mockca::report::DecodeJws(request.body);
    REQUIRE(jws);
    REQUIRE(expected);
    CHECK(client->exchanges[i].request_body_truncated == (i == 1));
    CHECK(jws->protected_b64 == expected->protected_b64);
    CHECK(jws->payload_b64 == expected->payload_b64);
    CHECK(jws->signature_b64 == expected->signature_b64);
    CHECK(jws->protected_header == expected->protected_header);
    CHECK(jws->payload == expected->payload);
    CHECK(jws->payload.is_object());
    CHECK(jws->kid == kAccount);
    CHECK(jws->nonce == (i == 0 ? "n1" : "n2"));
  }
  CHECK(recorder.Snapshot().at(0).exchanges.at(0).jws->payload ==
        nlohmann::json::parse(R"({"identifiers":[{"type":"dns","value":"a.test"}]})"));
}

TEST_CASE("Recorder records only what reached the client of a dropped or reset response",
          "[report][recorder]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  const std::string order = R"({"status":"processing","finalize":"https://ca.test/finalize/1"})";
  http::Response closed = Reply(200, {{"Replay-Nonce", "n2"}, {"Location", "/order/1"}}, order);
  closed.delivery.mode = http::Delivery::Mode::kClose;
  http::Response reset = Reply(200, {{"Replay-Nonce", "n3"}}, order);
  reset.delivery.mode = http::Delivery::Mode::kResetMidBody;
  Record(recorder, Signed(key, "/finalize/1", "n1", "{}", "c/1", kAccount), closed, "finalize");
  Record(recorder, Signed(key, "/order/1", "n1", "", "c/1", kAccount), reset, "order");
  const auto client = recorder.Snapshot().at(0);
  REQUIRE(client.exchanges.size() == 2);
  const auto& dropped = client.exchanges[0];
  CHECK(dropped.broken_delivery == "closed");
  CHECK(dropped.status == 0);
  CHECK(dropped.response_headers.empty());
  CHECK(dropped.response_body.empty());
  CHECK(client.nonces.count("n2") == 0);  // never handed out
  // A reset comes after the head: its status and Replay-Nonce reached the client, the body not.
  const auto& cut = client.exchanges[1];
  CHECK(cut.broken_delivery == "reset");
  CHECK(cut.status == 200);
  CHECK(cut.ResponseHeader("Replay-Nonce") == "n3");
  CHECK(cut.response_body.empty());
  CHECK(client.nonces.at("n3").issued_by == cut.id);
  CHECK(client.states.empty());  // the client was shown no state
}

TEST_CASE("Recorder keeps request headers in their original case and order", "[report][recorder]") {
  Recorder recorder;
  http::Request request = Unsigned("GET", "/dir?x=1", "c/1");
  request.headers.emplace_back("accept-LANGUAGE", "en");
  Record(recorder, request, Reply(200, {{"Link", "<a>;rel=\"index\""}}), "directory");
  const auto exchange = recorder.Snapshot().at(0).exchanges.at(0);
  CHECK(exchange.url == std::string(kOrigin) + "/dir?x=1");
  REQUIRE(exchange.request_headers.size() == 3);
  CHECK(exchange.request_headers[2] ==
        mockca::report::HeaderBlock::Header("accept-LANGUAGE", "en"));
  CHECK(exchange.RequestHeader("Accept-Language") == "en");
  CHECK(exchange.ResponseHeader("link") == "<a>;rel=\"index\"");
}

}  // namespace

}  // namespace recorder_test
