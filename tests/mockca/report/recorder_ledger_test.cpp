// Recorder: the nonce ledger and the Retry-After ledger (conformance.md §0).
#include <catch2/catch.hpp>

#include "mockca/report/recorder.hpp"
#include "tests/mockca/report/recorder_fixture.hpp"

namespace recorder_ledger_test {

namespace {

using mockca::report::Recorder;
using report_test::BadNonce;
using report_test::kOrigin;
using report_test::kT0;
using report_test::Record;
using report_test::Reply;
using report_test::Signed;
using report_test::Unsigned;
using std::chrono::milliseconds;
using std::chrono::seconds;
using support::KeyKind;
using support::SharedKey;

const std::string kAccount = std::string(kOrigin) + "/my-account/1";

TEST_CASE("Recorder's nonce ledger tracks issue, use, reuse and rejection", "[report][nonce]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  Record(recorder, Unsigned("HEAD", "/nonce-plz", "c/1"), Reply(200, {{"Replay-Nonce", "n1"}}),
         "newNonce");  // exchange 1
  Record(recorder, Signed(key, "/order-plz", "n1", "{}", "c/1", kAccount),
         Reply(201, {{"Replay-Nonce", "n2"}}), "newOrder");  // 2
  Record(recorder, Signed(key, "/order-plz", "n1", "{}", "c/1", kAccount), BadNonce("n3"),
         "newOrder");  // 3: n1 again
  Record(recorder, Signed(key, "/order-plz", "never-issued", "{}", "c/1", kAccount), BadNonce("n4"),
         "newOrder");  // 4
  Record(recorder, Signed(key, "/order-plz", "n1", "{}", "c/1", kAccount),
         Reply(400, {{"Content-Type", "application/problem+json"}},
               R"({"type":"urn:ietf:params:acme:error:badNonce","detail":"second"})"),
         "newOrder");  // 5: the rejection stays the first one

  const auto client = recorder.SnapshotOf(kAccount);
  REQUIRE(client);
  const auto& nonces = client->nonces;
  REQUIRE(nonces.size() == 5);
  const auto& n1 = nonces.at("n1");
  CHECK(n1.nonce == "n1");
  CHECK(n1.issued_by == 1);
  CHECK(n1.used_by == std::vector<std::uint64_t>{2, 3, 5});
  REQUIRE(n1.rejection);
  CHECK(*n1.rejection == "nonce unknown");
  CHECK(nonces.at("n2").issued_by == 2);
  CHECK(nonces.at("n2").used_by.empty());
  CHECK_FALSE(nonces.at("n2").rejection);
  CHECK(nonces.at("n3").issued_by == 3);
  const auto& never = nonces.at("never-issued");
  CHECK(never.issued_by == 0);
  CHECK(never.used_by == std::vector<std::uint64_t>{4});
  CHECK(never.rejection == std::optional<std::string>("nonce unknown"));
}

TEST_CASE("Recorder's nonce ledger follows a nonce across clients", "[report][nonce]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  const std::string account2 = std::string(kOrigin) + "/my-account/2";
  Record(recorder, Signed(key, "/x", "a", "", "one/1", kAccount),
         Reply(200, {{"Replay-Nonce", "shared"}}), "account");
  Record(recorder, Signed(key, "/x", "shared", "", "two/1", account2), Reply(200, {}), "account");
  const auto first = recorder.SnapshotOf(kAccount);
  const auto second = recorder.SnapshotOf(account2);
  REQUIRE((first && second));
  CHECK(first->nonces.at("shared").used_by == std::vector<std::uint64_t>{2});
  CHECK(second->nonces.at("shared").issued_by == 1);
  CHECK(second->nonces.count("a") == 0);
}

TEST_CASE("Recorder's Retry-After ledger with delta-seconds finds the next request",
          "[report][retry-after]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  const std::string order = std::string(kOrigin) + "/my-order/1";
  // finalize answers processing with Retry-After and the order's Location.
  Record(recorder, Signed(key, "/finalize/1", "n1", "{}", "c/1", kAccount),
         Reply(200, {{"Retry-After", "3"}, {"Location", "/my-order/1"}}), "finalize",
         milliseconds(0));
  Record(recorder, Signed(key, "/other", "n2", "", "c/1", kAccount), Reply(200, {}), "authz",
         milliseconds(500));
  Record(recorder, Signed(key, "/my-order/1", "n3", "", "c/1", kAccount), Reply(200, {}), "order",
         milliseconds(1200));
  Record(recorder, Signed(key, "/my-order/1", "n4", "", "c/1", kAccount), Reply(200, {}), "order",
         milliseconds(4000));

  const auto client = recorder.SnapshotOf(kAccount);
  REQUIRE(client);
  REQUIRE(client->retry_after.size() == 1);
  const auto& entry = client->retry_after[0];
  CHECK(entry.advertised_by == 1);
  CHECK(entry.url == order);
  CHECK(entry.value == "3");
  CHECK(entry.not_before == kT0 + seconds(3));
  CHECK(entry.next_request == std::optional<std::uint64_t>(3));
  CHECK(entry.next_request_at ==
        std::optional<mockca::report::TimePoint>(kT0 + milliseconds(1200)));
}

TEST_CASE(
    "Recorder's Retry-After ledger follows a finalize to its order and a challenge to its "
    "authz",
    "[report][retry-after]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  const std::string order = std::string(kOrigin) + "/my-order/1";
  const std::string finalize = std::string(kOrigin) + "/finalize-order/1";
  const std::string authz = std::string(kOrigin) + "/authZ/1";
  const std::string order_body = R"({"status":"ready","finalize":")" + finalize + R"("})";
  Record(recorder, Signed(key, "/my-order/1", "n1", "", "c/1", kAccount),
         Reply(200, {}, order_body), "order", milliseconds(0));
  // No Location on finalize (Pebble 2.9): the order it finalizes is known from the order body.
  Record(recorder, Signed(key, "/finalize-order/1", "n2", "{}", "c/1", kAccount),
         Reply(200, {{"Retry-After", "1"}}, order_body), "finalize", milliseconds(10));
  Record(recorder, Signed(key, "/my-order/1", "n3", "", "c/1", kAccount), Reply(200, {}), "order",
         milliseconds(50));
  Record(recorder, Signed(key, "/chalZ/1", "n4", "{}", "c/1", kAccount),
         Reply(200, {{"Retry-After", "2"}, {"Link", "</authZ/1>;rel=\"up\""}}), "challenge",
         milliseconds(60));
  Record(recorder, Signed(key, "/authZ/1", "n5", "", "c/1", kAccount), Reply(200, {}), "authz",
         milliseconds(70));

  const auto client = recorder.SnapshotOf(kAccount);
  REQUIRE(client);
  REQUIRE(client->retry_after.size() == 2);
  CHECK(client->retry_after[0].url == order);
  CHECK(client->retry_after[0].next_request == std::optional<std::uint64_t>(3));
  CHECK(client->retry_after[1].up_url == authz);
  CHECK(client->retry_after[1].next_request == std::optional<std::uint64_t>(5));
}

TEST_CASE("Recorder's Retry-After ledger with an HTTP-date, on the request URL",
          "[report][retry-after]") {
  Recorder recorder;
  // 2023-11-14T22:13:20Z is kT0; the date is 30 s later.
  Record(recorder, Unsigned("GET", "/dir", "c/1"),
         Reply(503, {{"Retry-After", "Tue, 14 Nov 2023 22:13:50 GMT"}}), "directory");
  Record(recorder, Unsigned("GET", "/dir", "c/1"), Reply(200, {}), "directory", milliseconds(2000));
  Record(recorder, Unsigned("GET", "/dir", "c/1"), Reply(200, {{"Retry-After", "soon"}}),
         "directory", milliseconds(3000));

  const auto client = recorder.Snapshot().at(0);
  REQUIRE(client.retry_after.size() == 2);
  const auto& dated = client.retry_after[0];
  CHECK(dated.url == std::string(kOrigin) + "/dir");
  CHECK(dated.not_before == kT0 + seconds(30));
  CHECK(dated.next_request == std::optional<std::uint64_t>(2));
  const auto& garbage = client.retry_after[1];
  CHECK(garbage.value == "soon");
  CHECK(garbage.not_before == kT0 + milliseconds(3000));  // constrains nothing
  CHECK_FALSE(garbage.next_request);
}

TEST_CASE("Recorder's Retry-After entries survive a merge and find later requests",
          "[report][retry-after]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  // An anonymous 503 on newNonce; the next newNonce comes after the client has signed.
  Record(recorder, Unsigned("HEAD", "/nonce-plz", "c/1"), Reply(503, {{"Retry-After", "1"}}),
         "newNonce");
  Record(recorder, Signed(key, "/x", "n", "", "c/1", kAccount), Reply(200, {}), "account");
  Record(recorder, Unsigned("HEAD", "/nonce-plz", "c/1"), Reply(200, {}), "newNonce",
         milliseconds(1500));
  const auto client = recorder.SnapshotOf(kAccount);
  REQUIRE(client);
  REQUIRE(client->retry_after.size() == 1);
  CHECK(client->retry_after[0].next_request == std::optional<std::uint64_t>(3));
}

}  // namespace

}  // namespace recorder_ledger_test
