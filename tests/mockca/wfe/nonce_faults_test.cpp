// Nonce faults (conformance.md Part C: F-NONCE-REJECT, F-NONCE-REJECT-STREAK, F-NONCE-TTL,
// F-NONCE-GARBAGE's legal part), in NonceService and through the JWS check of a request.

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/nonce_service.hpp"
#include "mockca/wfe/paths.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace nonce_faults_test {

namespace {

using nlohmann::json;
using support::Body;
using support::CheckProblemWithNonce;
using support::HeaderOf;
using support::kWfeBase;
using namespace std::chrono_literals;

faults::Facts At(std::string where) {
  faults::Facts facts;
  facts.where = std::move(where);
  facts.method = "POST";
  return facts;
}

bool IsHex32(const std::string& nonce) {
  return nonce.size() == 32 && nonce.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST_CASE("F-NONCE-REJECT: a badNonce rule refuses an otherwise valid nonce and consumes it",
          "[wfe][nonce][faults]") {
  support::WfeState state(1);
  state.AddFault({{"fault", "badNonce"}, {"where", "newOrder"}});
  const std::string refused = state.nonces.Issue("newNonce");
  CHECK_FALSE(state.nonces.Redeem(refused, At("newOrder")));
  CHECK_FALSE(state.nonces.Redeem(refused, At("finalize")));  // struck: a replay fails too
  // Elsewhere the rule does not apply (S-NONCE-05: accepted once).
  const std::string accepted = state.nonces.Issue("newNonce");
  CHECK(state.nonces.Redeem(accepted, At("finalize")));
  CHECK(state.nonces.outstanding() == 0);
}

TEST_CASE("No rule, or an unknown nonce: Redeem as without faults (S-NONCE-05/06)",
          "[wfe][nonce][faults]") {
  support::WfeState state(2);
  const std::string nonce = state.nonces.Issue("newNonce");
  CHECK(state.nonces.Redeem(nonce, At("newOrder")));
  CHECK_FALSE(state.nonces.Redeem(nonce, At("newOrder")));
  // An unknown nonce is refused before the rules are asked: the rule is not counted.
  state.AddFault({{"fault", "badNonce"}, {"where", "newOrder"}, {"when", {{"nth", 1}}}});
  CHECK_FALSE(state.nonces.Redeem("00000000000000000000000000000000", At("newOrder")));
  CHECK_FALSE(state.nonces.Redeem(state.nonces.Issue(), At("newOrder")));  // the 1st match
  CHECK(state.nonces.Redeem(state.nonces.Issue(), At("newOrder")));
}

TEST_CASE("F-NONCE-REJECT-STREAK: the first k tries of a request are refused, then accepted",
          "[wfe][nonce][faults]") {
  support::WfeState state(3);
  state.AddFault({{"fault", "badNonce"}, {"where", "finalize"}, {"when", {{"first", 3}}}});
  for (int attempt = 1; attempt <= 3; ++attempt) {
    INFO("attempt " << attempt);
    CHECK_FALSE(state.nonces.Redeem(state.nonces.Issue(), At("finalize")));
  }
  CHECK(state.nonces.Redeem(state.nonces.Issue(), At("finalize")));
  CHECK(state.faults.RulesJson()["faults"][0]["fired"] == 3);
}

TEST_CASE("F-NONCE-TTL: a nonceExpiry rule refuses nonces older than its seconds",
          "[wfe][nonce][faults]") {
  support::WfeState state(4);
  const std::string before_rule = state.nonces.Issue("newNonce");
  state.clock.Advance(1h);
  CHECK(state.nonces.Redeem(before_rule, At("newOrder")));  // no rule: nonces never expire

  state.AddFault({{"fault", "nonceExpiry"}, {"seconds", 30}});
  const std::string old = state.nonces.Issue("newNonce");
  const std::string young = state.nonces.Issue("newNonce");
  state.clock.Advance(31s);
  const std::string fresh = state.nonces.Issue("newNonce");
  CHECK_FALSE(state.nonces.Redeem(old, At("newOrder")));
  CHECK_FALSE(state.nonces.Redeem(young, At("newOrder")));
  CHECK(state.nonces.Redeem(fresh, At("newOrder")));
  const std::string boundary = state.nonces.Issue("newNonce");
  state.clock.Advance(30s);
  CHECK(state.nonces.Redeem(boundary, At("newOrder")));  // exactly 30 s old: not older
}

TEST_CASE("F-NONCE-TTL: a rule for another endpoint leaves old nonces alone",
          "[wfe][nonce][faults]") {
  support::WfeState state(5);
  state.AddFault({{"fault", "nonceExpiry"}, {"where", "finalize"}, {"seconds", 5}});
  const std::string a = state.nonces.Issue();
  const std::string b = state.nonces.Issue();
  state.clock.Advance(10s);
  CHECK(state.nonces.Redeem(a, At("newOrder")));
  CHECK_FALSE(state.nonces.Redeem(b, At("finalize")));
}

TEST_CASE("F-NONCE-GARBAGE (legal part): an invalidNonce rule hands out a nonce never accepted",
          "[wfe][nonce][faults]") {
  support::WfeState state(6);
  state.AddFault({{"fault", "invalidNonce"}, {"where", "newNonce"}, {"times", 1}});
  const std::string bogus = state.nonces.Issue("newNonce");
  CHECK(IsHex32(bogus));  // well-formed (S-NONCE-04): only its use shows it is bad
  CHECK(state.nonces.outstanding() == 0);
  CHECK_FALSE(state.nonces.Redeem(bogus, At("newOrder")));
  const std::string good = state.nonces.Issue("newNonce");  // times: 1 is used up
  CHECK(IsHex32(good));
  CHECK(state.nonces.Redeem(good, At("newOrder")));
  const std::string elsewhere = state.nonces.Issue("newOrder");
  CHECK(state.nonces.Redeem(elsewhere, At("newOrder")));
}

TEST_CASE("Without an engine the nonce rules have no say and reject_percent still applies",
          "[wfe][nonce][faults]") {
  common::Rng rng(7);
  common::FakeClock clock(support::WfeState::kStart);
  mockca::wfe::NonceService nonces(rng, 10, 0, &clock, nullptr);
  CHECK_FALSE(nonces.faults_armed());
  CHECK(nonces.Redeem(nonces.Issue("newNonce"), At("newOrder")));
  mockca::wfe::NonceService always(rng, 10, 100, &clock, nullptr);
  CHECK_FALSE(always.Redeem(always.Issue(), At("newOrder")));  // PEBBLE_WFE_NONCEREJECT
}

// Through JwsAuthenticator: the facts are the request's endpoint kind, kid and path, and the reply
// is badNonce with a fresh nonce to retry with (S-NONCE-01, S-NONCE-06).
TEST_CASE("F-NONCE-REJECT through a request: badNonce, then the retry succeeds",
          "[wfe][nonce][faults]") {
  support::WfeFixture f(8);
  mockca::wfe::AddAccountRoutes(f.router, f.store, f.auth);
  const std::string kid = f.Register(f.key);  // no rule yet
  const std::string account_id = *mockca::wfe::AccountIdFromUrl(kid);
  f.AddFault({{"fault", "badNonce"},
              {"where", "account"},
              {"when", {{"account", account_id}, {"method", "POST"}}},
              {"times", 1}});

  const http::Response refused = f.Post(f.key, kid, "", kid);
  CheckProblemWithNonce(refused, 400, "badNonce");
  const json log = f.faults.LogJson()["decisions"];
  REQUIRE(log.size() == 1);
  CHECK(log[0]["fault"] == "badNonce");
  CHECK(log[0]["where"] == "account");
  CHECK(log[0]["account"] == kid);
  CHECK(log[0]["subject"] == "POST " + std::string(mockca::wfe::paths::kAccount) + account_id);

  const http::Response retried = f.Post(f.key, kid, "", kid);
  CHECK(retried.status == 200);
  CHECK(Body(retried)["status"] == "valid");
}

TEST_CASE("A badNonce rule for another account leaves requests alone", "[wfe][nonce][faults]") {
  support::WfeFixture f(9);
  mockca::wfe::AddAccountRoutes(f.router, f.store, f.auth);
  const std::string kid = f.Register(f.key);
  f.AddFault({{"fault", "badNonce"}, {"when", {{"account", "someone-else"}}}});
  CHECK(f.Post(f.key, kid, "", kid).status == 200);
  CHECK(f.faults.LogJson()["decisions"].empty());
}

}  // namespace

}  // namespace nonce_faults_test
