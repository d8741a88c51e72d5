#include "mockca/wfe/challenge_handlers.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/sha.h>

#include "common/rfc3339.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/paths.hpp"
#include "tests/support/jws_signer.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace challenge_handlers_test {

namespace {

using mockca::core::AuthzStatus;
using mockca::core::ChallengeStatus;
using mockca::core::OrderStatus;
using mockca::wfe::ChallengePolicy;
using nlohmann::json;
using support::Body;
using support::CheckProblem;
using support::HasHeader;
using support::kWfeBase;
using support::TestKey;
using namespace std::chrono_literals;

std::string UpLink(const std::string& authz_id) {
  return "<" + kWfeBase + "/authZ/" + authz_id + ">;rel=\"up\"";
}

// The VA seam: records each job and lets the test finish it.
class FakeValidator final : public mockca::va::ValidationService {
 public:
  struct Pending {
    mockca::va::ValidationJob job;
    std::function<void(mockca::acme::Status)> done;
  };
  void Submit(mockca::va::ValidationJob job,
              std::function<void(mockca::acme::Status)> done) override {
    jobs.push_back({std::move(job), std::move(done)});
  }
  std::vector<Pending> jobs;
};

// RFC 7638 thumbprint of a test key, computed here independently of mockca's jose code.
std::string Thumbprint(const TestKey& key) {
  const std::string canonical = key.PublicJwk().dump();  // sorted members, no whitespace
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest);
  return support::Base64Url(std::string(reinterpret_cast<const char*>(digest), sizeof digest));
}

// The WFE with the account and challenge routes and a FakeValidator. Orders are put in the store
// directly (AddOrder), not through newOrder.
struct Fixture : support::WfeFixture {
  FakeValidator validator;
  std::string kid;
  std::string account_id;

  explicit Fixture(ChallengePolicy policy = {}) : WfeFixture(11) {
    mockca::wfe::AddAccountRoutes(router, store, auth);
    mockca::wfe::AddChallengeRoutes(router, store, auth, validator, clock, policy);
    kid = Register(key);
    account_id = kid.substr((kWfeBase + mockca::wfe::paths::kAccount).size());
  }

  // An order of account_id for the names, each with one pending authorization offering http-01
  // and dns-01.
  mockca::core::Order AddOrder(const std::vector<std::string>& names) {
    mockca::core::Order order;
    order.account_id = account_id;
    order.expires = clock.Now() + 24h;
    std::vector<mockca::core::Authorization> authzs;
    for (const auto& name : names) {
      order.identifiers.push_back({"dns", name});
      mockca::core::Authorization authz;
      authz.account_id = account_id;
      authz.identifier = {"dns", name};
      authz.expires = clock.Now() + 8h;
      for (const char* type : {"http-01", "dns-01"}) {
        mockca::core::Challenge challenge;
        challenge.type = type;
        authz.challenges.push_back(challenge);
      }
      authzs.push_back(authz);
    }
    auto added = store.AddOrder(std::move(order), std::move(authzs));
    REQUIRE(added.ok());
    return *added;
  }
  mockca::core::Authorization Authz(const std::string& id) const {
    auto authz = store.GetAuthorization(id);
    REQUIRE(authz.has_value());
    return *authz;
  }
  static std::string ChallengeUrlOf(const mockca::core::Authorization& authz, std::size_t i = 0) {
    return kWfeBase + mockca::wfe::paths::kChallenge + authz.challenges.at(i).id;
  }
  // POSTs {} to challenge i of authz (by this fixture's account).
  http::Response Start(const mockca::core::Authorization& authz, std::size_t i = 0) {
    return Post(key, ChallengeUrlOf(authz, i), "{}", kid);
  }
  OrderStatus StatusOf(const mockca::core::Order& order) const {
    auto status = store.OrderStatusOf(order.id, clock.Now());
    REQUIRE(status.has_value());
    return *status;
  }
};

TEST_CASE(
    "POST {} moves a pending challenge to processing and submits one job (S-CHAL-03, "
    "S-CHAL-08, S-LINK-02)",
    "[wfe][challenge]") {
  Fixture f;
  const auto order = f.AddOrder({"a.example"});
  const auto authz = f.Authz(order.authz_ids.at(0));
  const auto& challenge = authz.challenges.at(0);

  const http::Response response = f.Start(authz);
  REQUIRE(response.status == 200);
  CHECK(HasHeader(response, "Link", UpLink(authz.id)));  // S-LINK-02
  CHECK(HasHeader(response, "Retry-After", "1"));        // S-CHAL-06: while processing
  const json body = Body(response);
  CHECK(body["status"] == "processing");
  CHECK(body["type"] == "http-01");
  CHECK(body["token"] == challenge.token);
  CHECK(body["url"] == Fixture::ChallengeUrlOf(authz));

  REQUIRE(f.validator.jobs.size() == 1);
  const auto& job = f.validator.jobs[0].job;
  CHECK(job.identifier == mockca::acme::Identifier{"dns", "a.example"});
  CHECK(job.challenge_type == "http-01");
  CHECK(job.token == challenge.token);
  CHECK(job.key_authorization == challenge.token + "." + Thumbprint(f.key));  // S-CHAL-08

  const auto stored = f.Authz(authz.id);
  CHECK(stored.status == AuthzStatus::kPending);
  CHECK(stored.challenges.at(0).status == ChallengeStatus::kProcessing);
  CHECK(stored.challenges.at(1).status == ChallengeStatus::kPending);
}

TEST_CASE(
    "A successful validation makes the challenge and authz valid and the order ready "
    "(S-AUTHZ-03)",
    "[wfe][challenge]") {
  Fixture f(ChallengePolicy{.valid_authz_lifetime = 2h});
  const auto order = f.AddOrder({"a.example", "b.example"});
  const auto first = f.Authz(order.authz_ids.at(0));
  const auto second = f.Authz(order.authz_ids.at(1));
  REQUIRE(f.Start(first).status == 200);
  REQUIRE(f.Start(second, 1).status == 200);  // dns-01 for the second name
  REQUIRE(f.validator.jobs.size() == 2);
  CHECK(f.validator.jobs[1].job.challenge_type == "dns-01");

  f.clock.Advance(5s);
  const auto done_at = f.clock.Now();
  f.validator.jobs[0].done({});
  const auto valid = f.Authz(first.id);
  CHECK(valid.status == AuthzStatus::kValid);
  CHECK(valid.expires == done_at + 2h);
  CHECK(valid.challenges.at(0).status == ChallengeStatus::kValid);
  CHECK(valid.challenges.at(0).validated == done_at);
  CHECK(valid.challenges.at(0).error == nullptr);
  CHECK(f.StatusOf(order) == OrderStatus::kPending);  // one authorization still pending

  f.validator.jobs[1].done({});
  CHECK(f.Authz(second.id).status == AuthzStatus::kValid);
  CHECK(f.StatusOf(order) == OrderStatus::kReady);

  // The challenge reads back as valid with its validation time.
  const http::Response fetched = f.Post(f.key, Fixture::ChallengeUrlOf(first), "", f.kid);
  REQUIRE(fetched.status == 200);
  CHECK(Body(fetched)["status"] == "valid");
  CHECK(Body(fetched)["validated"] == common::FormatRfc3339(done_at));
}

TEST_CASE(
    "A failed validation makes the challenge and authz invalid with the problem "
    "(S-AUTHZ-03, S-CHAL-07)",
    "[wfe][challenge]") {
  Fixture f;
  const auto order = f.AddOrder({"a.example"});
  const auto authz = f.Authz(order.authz_ids.at(0));
  REQUIRE(f.Start(authz).status == 200);
  REQUIRE(f.validator.jobs.size() == 1);
  f.validator.jobs[0].done(
      mockca::acme::MakeProblem(mockca::acme::ProblemType::kConnection, "connection refused"));

  const auto stored = f.Authz(authz.id);
  CHECK(stored.status == AuthzStatus::kInvalid);
  CHECK(stored.challenges.at(0).status == ChallengeStatus::kInvalid);
  REQUIRE(stored.challenges.at(0).error != nullptr);
  CHECK(stored.challenges.at(0).error->type == mockca::acme::ProblemType::kConnection);
  CHECK(f.StatusOf(order) == OrderStatus::kInvalid);

  const http::Response fetched = f.Post(f.key, Fixture::ChallengeUrlOf(authz), "", f.kid);
  REQUIRE(fetched.status == 200);
  CHECK(Body(fetched)["status"] == "invalid");
  CHECK(Body(fetched)["error"]["type"] == "urn:ietf:params:acme:error:connection");
  CHECK(Body(fetched)["error"]["detail"] == "connection refused");
}

TEST_CASE(
    "A re-POST while processing is answered with the challenge and starts nothing "
    "(S-CHAL-05)",
    "[wfe][challenge]") {
  Fixture f;
  const auto authz = f.Authz(f.AddOrder({"a.example"}).authz_ids.at(0));
  REQUIRE(f.Start(authz).status == 200);
  const http::Response again = f.Start(authz);
  REQUIRE(again.status == 200);
  CHECK(Body(again)["status"] == "processing");
  CHECK(HasHeader(again, "Link", UpLink(authz.id)));
  CHECK(HasHeader(again, "Retry-After", "1"));
  CHECK(f.validator.jobs.size() == 1);
}

TEST_CASE("POST on a valid or invalid challenge is malformed (S-CHAL-04, S-CHAL-05)",
          "[wfe][challenge]") {
  Fixture f;
  const auto authz = f.Authz(f.AddOrder({"a.example"}).authz_ids.at(0));
  REQUIRE(f.Start(authz).status == 200);
  REQUIRE(f.validator.jobs.size() == 1);
  const bool succeed = GENERATE(true, false);
  f.validator.jobs[0].done(succeed ? mockca::acme::Status()
                                   : mockca::acme::Unauthorized("wrong key authorization"));
  CheckProblem(f.Start(authz), 400, "malformed");
  // The other, still pending challenge of the finished authorization cannot start either.
  CheckProblem(f.Start(authz, 1), 400, "malformed");
  CHECK(f.validator.jobs.size() == 1);
  CHECK(f.Authz(authz.id).challenges.at(1).status == ChallengeStatus::kPending);
}

TEST_CASE("Another account's or an unknown challenge is 404 (S-PAG-03)", "[wfe][challenge]") {
  Fixture f;
  const auto authz = f.Authz(f.AddOrder({"a.example"}).authz_ids.at(0));
  const std::string other_kid = f.Register(f.other_key);
  const std::string payload = GENERATE(std::string("{}"), std::string(""));
  CheckProblem(f.Post(f.other_key, Fixture::ChallengeUrlOf(authz), payload, other_kid), 404,
               "malformed");
  CheckProblem(f.Post(f.key, kWfeBase + "/chalZ/no-such-challenge", payload, f.kid), 404,
               "malformed");
  CHECK(f.validator.jobs.empty());
  CHECK(f.Authz(authz.id).challenges.at(0).status == ChallengeStatus::kPending);
}

TEST_CASE("A deactivated or expired authorization cannot be validated (S-CHAL-04)",
          "[wfe][challenge]") {
  Fixture f;
  const auto authz = f.Authz(f.AddOrder({"a.example"}).authz_ids.at(0));
  SECTION("deactivated") {
    REQUIRE(f.store
                .UpdateAuthorization(authz.id,
                                     [](mockca::core::Authorization& a) {
                                       a.status = AuthzStatus::kDeactivated;
                                       return mockca::acme::Status();
                                     })
                .ok());
  }
  SECTION("expired") {
    f.clock.Advance(8h + 1s);
  }
  CheckProblem(f.Start(authz), 400, "malformed");
  CHECK(f.validator.jobs.empty());
  CHECK(f.Authz(authz.id).challenges.at(0).status == ChallengeStatus::kPending);
}

TEST_CASE("A result for an authorization that changed meanwhile is dropped", "[wfe][challenge]") {
  Fixture f;
  const auto authz = f.Authz(f.AddOrder({"a.example"}).authz_ids.at(0));
  REQUIRE(f.Start(authz).status == 200);
  REQUIRE(f.validator.jobs.size() == 1);
  AuthzStatus expected_stored = AuthzStatus::kPending;
  SECTION("deactivated") {
    REQUIRE(f.store
                .UpdateAuthorization(authz.id,
                                     [](mockca::core::Authorization& a) {
                                       a.status = AuthzStatus::kDeactivated;
                                       return mockca::acme::Status();
                                     })
                .ok());
    expected_stored = AuthzStatus::kDeactivated;
  }
  SECTION("expired") {
    f.clock.Advance(8h + 1s);
  }
  f.validator.jobs[0].done({});
  const auto stored = f.Authz(authz.id);
  CHECK(stored.status == expected_stored);
  CHECK(stored.expires == authz.expires);
  CHECK(stored.challenges.at(0).status == ChallengeStatus::kProcessing);
  CHECK_FALSE(stored.challenges.at(0).validated.has_value());
}

TEST_CASE("Unknown payload members are ignored, a non-object payload is malformed (S-CHAL-03)",
          "[wfe][challenge]") {
  Fixture f;
  const auto authz = f.Authz(f.AddOrder({"a.example"}).authz_ids.at(0));
  SECTION("unknown members") {
    const http::Response response =
        f.Post(f.key, Fixture::ChallengeUrlOf(authz),
               json{{"foo", 1}, {"keyAuthorization", "something.else"}}.dump(), f.kid);
    REQUIRE(response.status == 200);
    CHECK(Body(response)["status"] == "processing");
    REQUIRE(f.validator.jobs.size() == 1);
    // The server's own key authorization, never the client's (S-CHAL-08).
    CHECK(f.validator.jobs[0].job.key_authorization ==
          authz.challenges.at(0).token + "." + Thumbprint(f.key));
  }
  SECTION("not an object") {
    const std::string payload =
        GENERATE(std::string("[]"), std::string("\"go\""), std::string("not json"));
    CheckProblem(f.Post(f.key, Fixture::ChallengeUrlOf(authz), payload, f.kid), 400, "malformed");
    CHECK(f.validator.jobs.empty());
    CHECK(f.Authz(authz.id).challenges.at(0).status == ChallengeStatus::kPending);
  }
}

TEST_CASE("POST-as-GET fetches the challenge without starting it (RFC 8555 §7.5.1)",
          "[wfe][challenge]") {
  Fixture f;
  const auto authz = f.Authz(f.AddOrder({"a.example"}).authz_ids.at(0));
  const http::Response response = f.Post(f.key, Fixture::ChallengeUrlOf(authz, 1), "", f.kid);
  REQUIRE(response.status == 200);
  CHECK(Body(response) == json{{"type", "dns-01"},
                               {"url", Fixture::ChallengeUrlOf(authz, 1)},
                               {"status", "pending"},
                               {"token", authz.challenges.at(1).token}});
  CHECK(HasHeader(response, "Link", UpLink(authz.id)));
  CHECK(f.validator.jobs.empty());
  CHECK(f.Authz(authz.id).challenges.at(1).status == ChallengeStatus::kPending);
}

TEST_CASE("The challenge URL takes POST with kid only (S-JWS-08)", "[wfe][challenge]") {
  Fixture f;
  const auto authz = f.Authz(f.AddOrder({"a.example"}).authz_ids.at(0));
  CheckProblem(f.Post(f.key, Fixture::ChallengeUrlOf(authz), "{}", ""), 400, "malformed");
  http::Request get;
  get.method = "GET";
  get.target = Fixture::ChallengeUrlOf(authz).substr(kWfeBase.size());
  get.host = "ca.test:14000";
  get.https = true;
  CHECK(f.router.Dispatch(get).status == 405);
  CHECK(f.validator.jobs.empty());
}

}  // namespace

namespace {

TEST_CASE("Strict mode: the challenge response body must be {} (Pebble -strict)",
          "[wfe][challenge]") {
  Fixture f(ChallengePolicy{.strict = true});
  const auto authz = f.Authz(f.AddOrder({"a.example"}).authz_ids.at(0));
  SECTION("members are malformed") {
    CheckProblem(f.Post(f.key, Fixture::ChallengeUrlOf(authz),
                        json{{"keyAuthorization", "x"}}.dump(), f.kid),
                 400, "malformed");
    CHECK(f.validator.jobs.empty());
    CHECK(f.Authz(authz.id).challenges.at(0).status == ChallengeStatus::kPending);
  }
  SECTION("{} starts validation") {
    const http::Response response = f.Post(f.key, Fixture::ChallengeUrlOf(authz), "{ }", f.kid);
    REQUIRE(response.status == 200);
    CHECK(Body(response)["status"] == "processing");
    CHECK(f.validator.jobs.size() == 1);
  }
  SECTION("POST-as-GET still fetches") {
    CHECK(f.Post(f.key, Fixture::ChallengeUrlOf(authz), "", f.kid).status == 200);
  }
}

}  // namespace

}  // namespace challenge_handlers_test
