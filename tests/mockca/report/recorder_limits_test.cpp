// Recorder: its limits, Reset, the disabled recorder and concurrent use.
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "mockca/report/recorder.hpp"
#include "tests/mockca/report/recorder_fixture.hpp"

namespace recorder_limits_test {

namespace {

using mockca::report::Recorder;
using mockca::report::RecorderLimits;
using report_test::kOrigin;
using report_test::Record;
using report_test::Reply;
using report_test::Signed;
using report_test::Unsigned;
using support::KeyKind;
using support::SharedKey;

TEST_CASE("Recorder keeps the newest exchanges of a client and counts the dropped ones",
          "[report][limits]") {
  Recorder recorder(RecorderLimits{true, 3, 10});
  for (int i = 0; i < 5; ++i) {
    Record(recorder, Unsigned("HEAD", "/nonce-plz", "c/1"),
           Reply(200, {{"Replay-Nonce", "n" + std::to_string(i)}}), "newNonce");
  }
  const auto client = recorder.Snapshot().at(0);
  REQUIRE(client.exchanges.size() == 3);
  CHECK(client.exchanges.front().id == 3);
  CHECK(client.exchanges.back().id == 5);
  CHECK(client.dropped == 2);
  CHECK(client.nonces.size() == 5);  // the ledger keeps 2 × cap + 2 entries
  CHECK(recorder.Stats().exchanges == 5);
}

TEST_CASE("Recorder trims a merged record to the cap", "[report][limits]") {
  Recorder recorder(RecorderLimits{true, 2, 10});
  const auto& key = SharedKey(KeyKind::kP256);
  const std::string account = std::string(kOrigin) + "/my-account/1";
  Record(recorder, Signed(key, "/x", "a", "", "c/1", account), Reply(200, {}), "account");  // 1
  Record(recorder, Unsigned("GET", "/dir", "other/1"), Reply(200, {}), "directory");        // 2
  Record(recorder, Signed(key, "/x", "b", "", "c/1", account), Reply(200, {}), "account");  // 3
  Record(recorder, Unsigned("GET", "/dir", "c/2"), Reply(200, {}), "directory");            // 4
  Record(recorder, Unsigned("GET", "/dir", "c/2"), Reply(200, {}), "directory");            // 5
  // The account signs with User-Agent c/2: the anonymous record (4, 5) merges in.
  Record(recorder, Signed(key, "/x", "c", "", "c/2", account), Reply(200, {}), "account");  // 6
  const auto client = recorder.SnapshotOf(account);
  REQUIRE(client);
  REQUIRE(client->exchanges.size() == 2);
  CHECK(client->exchanges[0].id == 5);
  CHECK(client->exchanges[1].id == 6);
  CHECK(client->dropped == 3);
}

TEST_CASE("Recorder's snapshot shows the newest cap of each ledger, however many came",
          "[report][limits]") {
  // The ledgers drop their oldest entries in batches (amortized), the snapshot shows exactly cap.
  constexpr std::size_t kCap = 4;
  Recorder recorder(RecorderLimits{true, kCap, 10});
  const auto& key = SharedKey(KeyKind::kP256);
  const std::string account = std::string(kOrigin) + "/my-account/1";
  constexpr int kRounds = 23;
  for (int i = 0; i < kRounds; ++i) {
    const std::string status = i % 2 == 0 ? "valid" : "deactivated";
    Record(recorder, Signed(key, "/my-account/1", "n" + std::to_string(i), "", "c/1", account),
           Reply(200, {{"Retry-After", std::to_string(i)}}, R"({"status":")" + status + R"("})"),
           "account");
    mockca::report::ProbeRecord probe;
    probe.token = std::to_string(i);
    recorder.RecordProbe(account, probe);
  }
  for (int snapshot = 0; snapshot < 2; ++snapshot) {  // a snapshot changes nothing kept
    const auto client = recorder.SnapshotOf(account);
    REQUIRE(client);
    REQUIRE(client->states.size() == kCap);
    REQUIRE(client->retry_after.size() == kCap);
    REQUIRE(client->probes.size() == kCap);
    for (std::size_t i = 0; i < kCap; ++i) {
      const int round = kRounds - static_cast<int>(kCap) + static_cast<int>(i);
      INFO(round);
      CHECK(client->states[i].to == (round % 2 == 0 ? "valid" : "deactivated"));
      CHECK(client->retry_after[i].value == std::to_string(round));
      CHECK(client->probes[i].token == std::to_string(round));
    }
  }
}

TEST_CASE("Recorder refuses clients beyond its cap and counts them", "[report][limits]") {
  Recorder recorder(RecorderLimits{true, 10, 2});
  Record(recorder, Unsigned("GET", "/dir", "a/1"), Reply(200, {}), "directory");
  Record(recorder, Unsigned("GET", "/dir", "b/1"), Reply(200, {}), "directory");
  Record(recorder, Unsigned("GET", "/dir", "c/1"), Reply(200, {}), "directory");
  Record(recorder, Unsigned("GET", "/dir", "c/1"), Reply(200, {}), "directory");
  Record(recorder, Unsigned("GET", "/dir", "d/1"), Reply(200, {}), "directory");
  Record(recorder, Unsigned("GET", "/dir", "a/1"), Reply(200, {}), "directory");
  CHECK(recorder.Snapshot().size() == 2);
  const auto stats = recorder.Stats();
  CHECK(stats.clients == 2);
  CHECK(stats.refused_clients == 2);
  CHECK(stats.refused_exchanges == 3);
  CHECK(stats.exchanges == 3);
  CHECK(recorder.SnapshotOf("anonymous:a/1")->exchanges.size() == 2);
  CHECK_FALSE(recorder.SnapshotOf("anonymous:c/1"));
}

TEST_CASE("Recorder at its client cap still lets an anonymous record become signed",
          "[report][limits]") {
  Recorder recorder(RecorderLimits{true, 10, 1});
  const std::string account = std::string(kOrigin) + "/my-account/1";
  Record(recorder, Unsigned("GET", "/dir", "a/1"), Reply(200, {}), "directory");
  Record(recorder, Signed(SharedKey(KeyKind::kP256), "/x", "n", "", "a/1", account), Reply(200, {}),
         "account");
  REQUIRE(recorder.Snapshot().size() == 1);
  CHECK(recorder.Snapshot()[0].id == account);
  CHECK(recorder.Snapshot()[0].exchanges.size() == 2);
}

TEST_CASE(
    "Recorder keeps its exchanges within the byte budget, dropping the largest client's oldest",
    "[report][limits]") {
  // Every exchange below is the same size; the budget holds six and a half of them.
  const std::string body(4000, 'x');
  Recorder probe;
  Record(probe, Unsigned("GET", "/dir", "big/1"), Reply(200, {}, body), "directory");
  const std::size_t one = probe.Stats().exchange_bytes;
  REQUIRE(one > body.size());
  RecorderLimits limits{true, 100, 10};
  limits.exchange_bytes = 6 * one + one / 2;
  Recorder recorder(limits);
  for (int i = 0; i < 6; ++i) {
    Record(recorder, Unsigned("GET", "/dir", "big/1"), Reply(200, {}, body), "directory");
  }
  Record(recorder, Unsigned("GET", "/dir", "small/1"), Reply(200, {}, body), "directory");
  Record(recorder, Unsigned("GET", "/dir", "small/1"), Reply(200, {}, body), "directory");
  const auto stats = recorder.Stats();
  CHECK(stats.exchange_bytes <= limits.exchange_bytes);
  CHECK(stats.exchanges == 8);
  CHECK(stats.dropped_for_bytes == 2);
  const auto big = recorder.SnapshotOf("anonymous:big/1");
  REQUIRE(big);
  REQUIRE(big->exchanges.size() == 4);
  CHECK(big->exchanges.front().id == 3);  // its two oldest went
  CHECK(big->dropped == 2);
  CHECK(recorder.SnapshotOf("anonymous:small/1")->exchanges.size() == 2);

  recorder.Reset();
  CHECK(recorder.Stats().exchange_bytes == 0);
}

TEST_CASE("Recorder counts the bytes of exchanges it drops at the cap and merges",
          "[report][limits]") {
  Recorder recorder(RecorderLimits{true, 2, 10});
  const auto& key = SharedKey(KeyKind::kP256);
  const std::string account = std::string(kOrigin) + "/my-account/1";
  Record(recorder, Unsigned("GET", "/dir", "c/1"), Reply(200, {}), "directory");
  const std::size_t one = recorder.Stats().exchange_bytes;
  CHECK(one > 0);
  for (int i = 0; i < 3; ++i) {
    Record(recorder, Unsigned("GET", "/dir", "c/1"), Reply(200, {}), "directory");
  }
  CHECK(recorder.Stats().exchange_bytes == 2 * one);  // the cap dropped two equal exchanges
  // Signed with that User-Agent: the anonymous record merges into the key's, then the cap trims.
  Record(recorder, Signed(key, "/x", "n", "", "c/1", account), Reply(200, {}), "account");
  const auto client = recorder.SnapshotOf(account);
  REQUIRE(client);
  REQUIRE(client->exchanges.size() == 2);
  // Kept: one directory GET and the signed exchange, whose estimate a fresh recorder gives.
  Recorder probe;
  Record(probe, Signed(key, "/x", "n", "", "c/1", account), Reply(200, {}), "account");
  CHECK(recorder.Stats().exchange_bytes == one + probe.Stats().exchange_bytes);
}

TEST_CASE("Recorder Reset forgets everything but keeps ids increasing", "[report][limits]") {
  Recorder recorder;
  Record(recorder, Unsigned("HEAD", "/nonce-plz", "a/1"), Reply(200, {{"Replay-Nonce", "n1"}}),
         "newNonce");
  Record(recorder, Unsigned("GET", "/dir", "a/1"), Reply(200, {}), "directory");
  recorder.Reset();
  CHECK(recorder.Snapshot().empty());
  CHECK(recorder.Stats().exchanges == 0);
  Record(recorder, Unsigned("GET", "/dir", "a/1"), Reply(200, {}), "directory");
  const auto client = recorder.Snapshot().at(0);
  CHECK(client.exchanges.at(0).id == 3);
  CHECK(client.nonces.empty());
}

TEST_CASE("A disabled Recorder records nothing", "[report][limits]") {
  Recorder recorder(RecorderLimits{false, 10, 10});
  Record(recorder, Unsigned("GET", "/dir", "a/1"), Reply(200, {}), "directory");
  CHECK(recorder.Snapshot().empty());
  CHECK(recorder.Stats().exchanges == 0);
  CHECK_FALSE(recorder.limits().enabled);
}

TEST_CASE("Recorder takes exchanges from several threads at once", "[report][concurrency]") {
  Recorder recorder;
  const auto& key = SharedKey(KeyKind::kP256);
  constexpr int kThreads = 4;
  constexpr int kEach = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string account = std::string(kOrigin) + "/my-account/" + std::to_string(t);
      const std::string agent = "client/" + std::to_string(t);
      for (int i = 0; i < kEach; ++i) {
        const std::string nonce = std::to_string(t) + "-" + std::to_string(i);
        Record(recorder, Signed(key, "/x", nonce, "", agent, account),
               Reply(200, {{"Replay-Nonce", nonce + "-next"}}), "account");
        Record(recorder, Unsigned("HEAD", "/nonce-plz", agent), Reply(200, {}), "newNonce");
        if (i % 10 == 0) {
          (void)recorder.Snapshot();
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  const auto clients = recorder.Snapshot();
  REQUIRE(clients.size() == kThreads);
  for (const auto& client : clients) {
    CHECK(client.exchanges.size() == 2 * kEach);
    CHECK(client.nonces.size() == 2 * kEach);
    for (std::size_t i = 1; i < client.exchanges.size(); ++i) {
      CHECK(client.exchanges[i - 1].id < client.exchanges[i].id);
    }
  }
  CHECK(recorder.Stats().exchanges == 2 * kThreads * kEach);
}

}  // namespace

}  // namespace recorder_limits_test
