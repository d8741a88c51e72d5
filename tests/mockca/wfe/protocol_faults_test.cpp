// State and issuance faults of the WFE (conformance.md Part C): stuckProcessing (F-FINALIZE-ASYNC),
// setAuthzStatus (F-AUTHZ-EXPIRE / F-AUTHZ-REVOKE), failIssuance (F-FINALIZE-INVALID),
// alternateChain (F-ALT-CHAINS), reorderChain; and the account URL of a validation job.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/x509_builder.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/challenge_handlers.hpp"
#include "mockca/wfe/finalize_handlers.hpp"
#include "mockca/wfe/order_handlers.hpp"
#include "mockca/wfe/paths.hpp"
#include "tests/mockca/ca/csr_builder.hpp"
#include "tests/support/jws_signer.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace protocol_faults_test {

namespace {

using mockca::acme::Identifier;
using mockca::core::AuthzStatus;
using mockca::core::OrderStatus;
using nlohmann::json;
using support::Body;
using support::CheckProblem;
using support::HeaderOf;
using support::kWfeBase;
using namespace std::chrono_literals;

// The stored leaf as the certificate URL serves it.
std::string LeafPem(const mockca::core::Certificate& certificate) {
  return common::CertificateDerToPem(certificate.der);
}

// The VA seam: records each job and lets the test finish it.
class FakeValidator final : public mockca::va::ValidationService {
 public:
  void Submit(mockca::va::ValidationJob job,
              std::function<void(mockca::acme::Status)> done) override {
    jobs.push_back(std::move(job));
    dones.push_back(std::move(done));
  }
  std::vector<mockca::va::ValidationJob> jobs;
  std::vector<std::function<void(mockca::acme::Status)>> dones;
};

struct Policies {
  mockca::wfe::OrderPolicy order{};
  mockca::wfe::ChallengePolicy challenge{};
  mockca::wfe::FinalizePolicy finalize{};
};

// Every route a client polls, wired to the fixture's fault engine (WfeState::faults); issuance
// runs inline. The clock is real time (whole seconds) so that issued leaves are current.
struct Fixture : support::WfeFixture {
  FakeValidator validator;
  std::unique_ptr<mockca::ca::CertificateAuthority> authority;
  std::string kid;
  std::string account_id;

  explicit Fixture(Policies policies = {}, std::size_t alternate_roots = 0)
      : WfeFixture(31, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())),
        authority(mockca::ca::CertificateAuthority::Create(mockca::ca::KeyAlgorithm::kEcdsaP256,
                                                           rng, std::chrono::system_clock::now(),
                                                           alternate_roots)
                      .value()) {
    policies.order.fault_engine = &faults;
    policies.challenge.fault_engine = &faults;
    policies.finalize.fault_engine = &faults;
    mockca::wfe::AddAccountRoutes(router, store, auth);
    mockca::wfe::AddOrderRoutes(router, store, auth, clock, policies.order);
    mockca::wfe::AddChallengeRoutes(router, store, auth, validator, clock, policies.challenge);
    mockca::wfe::AddFinalizeRoutes(
        router, store, auth, *authority, [](std::function<void()> task) { task(); }, clock,
        policies.finalize);
    kid = Register(key);
    account_id = *mockca::wfe::AccountIdFromUrl(kid);
  }

  // A pending order for names through newOrder; its id.
  std::string NewOrder(const std::vector<std::string>& names) {
    json identifiers = json::array();
    for (const std::string& name : names) {
      identifiers.push_back({{"type", "dns"}, {"value", name}});
    }
    const http::Response response = Post(key, kWfeBase + mockca::wfe::paths::kNewOrder,
                                         json{{"identifiers", identifiers}}.dump(), kid);
    REQUIRE(response.status == 201);
    return HeaderOf(response, "Location").substr((kWfeBase + mockca::wfe::paths::kOrder).size());
  }
  // Validates every authorization of the order through its http-01 challenge and the fake VA.
  void Authorize(const std::string& order_id) {
    const auto order = store.GetOrder(order_id);
    REQUIRE(order.has_value());
    for (const std::string& authz_id : order->authz_ids) {
      const auto authz = store.GetAuthorization(authz_id);
      REQUIRE(authz.has_value());
      if (authz->status == AuthzStatus::kValid) {
        continue;  // reused (S-ORD-09)
      }
      REQUIRE(Post(key, ChallengeUrl(authz->challenges.at(0).id), "{}", kid).status == 200);
      REQUIRE_FALSE(validator.dones.empty());
      validator.dones.back()(mockca::acme::Status());
    }
    REQUIRE(Status(order_id) == OrderStatus::kReady);
  }
  http::Response Finalize(const std::string& order_id, const std::vector<std::string>& names) {
    const auto leaf_key = mockca::ca::testing::MakeKey("P-256");
    mockca::ca::testing::CsrSpec spec;
    spec.key = leaf_key.get();
    spec.dns_names = names;
    const std::string csr = support::Base64Url(mockca::ca::testing::BuildCsrDer(spec));
    return Post(key, kWfeBase + mockca::wfe::paths::kFinalize + order_id, json{{"csr", csr}}.dump(),
                kid);
  }
  // A valid order for names (newOrder, challenges, finalize); its id.
  std::string ValidOrder(const std::vector<std::string>& names) {
    const std::string order_id = NewOrder(names);
    Authorize(order_id);
    REQUIRE(Finalize(order_id, names).status == 200);
    REQUIRE(Status(order_id) == OrderStatus::kValid);
    return order_id;
  }

  static std::string ChallengeUrl(const std::string& id) {
    return kWfeBase + mockca::wfe::paths::kChallenge + id;
  }
  http::Response Read(const std::string& url) { return Post(key, url, "", kid); }
  http::Response ReadOrder(const std::string& id) {
    return Read(kWfeBase + mockca::wfe::paths::kOrder + id);
  }
  http::Response ReadAuthz(const std::string& id) {
    return Read(kWfeBase + mockca::wfe::paths::kAuthz + id);
  }
  OrderStatus Status(const std::string& order_id) const {
    return *store.OrderStatusOf(order_id, clock.Now());
  }
  std::string CertificateUrl(const std::string& order_id) const {
    return kWfeBase + mockca::wfe::paths::kCertificate + store.GetOrder(order_id)->certificate_id;
  }
};

const std::vector<std::string> kNames = {"a.example", "b.example"};

// ---- stuckProcessing -------------------------------------------------------------------------

TEST_CASE("F-FINALIZE-ASYNC: a valid order reads processing for `polls` reads (S-ORD-10)",
          "[wfe][faults][state]") {
  Fixture f;
  f.AddFault({{"fault", "stuckProcessing"}, {"where", "order"}, {"polls", 2}});
  const std::string order_id = f.ValidOrder(kNames);
  for (int poll = 1; poll <= 2; ++poll) {
    INFO("poll " << poll);
    const http::Response held = f.ReadOrder(order_id);
    REQUIRE(held.status == 200);
    CHECK(Body(held)["status"] == "processing");
    CHECK_FALSE(Body(held).contains("certificate"));
    CHECK(HeaderOf(held, "Retry-After") == "1");
  }
  const http::Response done = f.ReadOrder(order_id);
  CHECK(Body(done)["status"] == "valid");
  CHECK(Body(done)["certificate"] == f.CertificateUrl(order_id));
  CHECK(HeaderOf(done, "Retry-After").empty());

  // Counted per order: another order is held for its own first two reads.
  const std::string second = f.ValidOrder({"c.example"});
  CHECK(Body(f.ReadOrder(second))["status"] == "processing");
  CHECK(Body(f.ReadOrder(second))["status"] == "processing");
  CHECK(Body(f.ReadOrder(second))["status"] == "valid");
}

TEST_CASE("Without a rule a valid order reads valid with its certificate (S-ORD-05)",
          "[wfe][faults][state]") {
  Fixture f;
  f.AddFault({{"fault", "stuckProcessing"}, {"where", "challenge"}, {"polls", 5}});
  const std::string order_id = f.ValidOrder(kNames);
  const http::Response response = f.ReadOrder(order_id);
  CHECK(Body(response)["status"] == "valid");
  CHECK(Body(response).contains("certificate"));
}

TEST_CASE("stuckProcessing counts only valid reads and uses order_retry_after, else 1",
          "[wfe][faults][state]") {
  const int retry_after = GENERATE(0, 4);
  Policies policies;
  policies.order.order_retry_after = std::chrono::seconds(retry_after);
  Fixture f(policies);
  f.AddFault({{"fault", "stuckProcessing"}, {"where", "order"}, {"polls", 1}});
  const std::string order_id = f.NewOrder({"a.example"});
  CHECK(Body(f.ReadOrder(order_id))["status"] == "pending");  // not held, not counted
  f.Authorize(order_id);
  CHECK(Body(f.ReadOrder(order_id))["status"] == "ready");
  REQUIRE(f.Finalize(order_id, {"a.example"}).status == 200);
  const http::Response held = f.ReadOrder(order_id);
  CHECK(Body(held)["status"] == "processing");
  CHECK(HeaderOf(held, "Retry-After") == std::to_string(retry_after == 0 ? 1 : retry_after));
  CHECK(Body(f.ReadOrder(order_id))["status"] == "valid");
}

TEST_CASE("stuckProcessing holds a final challenge as processing for `polls` reads (S-CHAL-06)",
          "[wfe][faults][state]") {
  Fixture f;
  f.AddFault({{"fault", "stuckProcessing"}, {"where", "challenge"}, {"polls", 1}});
  const std::string order_id = f.NewOrder({"a.example", "b.example"});
  const auto authzs = f.store.GetOrder(order_id)->authz_ids;
  const auto first = f.store.GetAuthorization(authzs.at(0))->challenges.at(0);
  const auto second = f.store.GetAuthorization(authzs.at(1))->challenges.at(0);
  REQUIRE(f.Post(f.key, Fixture::ChallengeUrl(first.id), "{}", f.kid).status == 200);
  REQUIRE(f.Post(f.key, Fixture::ChallengeUrl(second.id), "{}", f.kid).status == 200);
  REQUIRE(f.validator.dones.size() == 2);
  f.validator.dones[0](mockca::acme::Status());
  f.validator.dones[1](mockca::acme::MakeProblem(mockca::acme::ProblemType::kConnection, "no"));

  const http::Response held = f.Read(Fixture::ChallengeUrl(first.id));
  CHECK(Body(held)["status"] == "processing");
  CHECK_FALSE(Body(held).contains("validated"));
  CHECK(HeaderOf(held, "Retry-After") == "1");
  const http::Response valid = f.Read(Fixture::ChallengeUrl(first.id));
  CHECK(Body(valid)["status"] == "valid");
  CHECK(Body(valid).contains("validated"));

  const http::Response held_invalid = f.Read(Fixture::ChallengeUrl(second.id));
  CHECK(Body(held_invalid)["status"] == "processing");
  CHECK_FALSE(Body(held_invalid).contains("error"));
  CHECK(Body(f.Read(Fixture::ChallengeUrl(second.id)))["status"] == "invalid");
}

TEST_CASE("Without a rule a final challenge reads as it is (RFC 8555 §7.5.1)",
          "[wfe][faults][state]") {
  Fixture f;
  f.AddFault({{"fault", "stuckProcessing"}, {"where", "order"}});
  const std::string order_id = f.NewOrder({"a.example"});
  f.Authorize(order_id);
  const auto authz = f.store.GetAuthorization(f.store.GetOrder(order_id)->authz_ids.at(0));
  CHECK(Body(f.Read(Fixture::ChallengeUrl(authz->challenges.at(0).id)))["status"] == "valid");
}

// ---- the validation job's account ------------------------------------------------------------

TEST_CASE("A validation job carries the challenge's account URL (fault facts, logs)",
          "[wfe][faults][challenge]") {
  Fixture f;
  const std::string order_id = f.NewOrder({"a.example"});
  f.Authorize(order_id);
  REQUIRE(f.validator.jobs.size() == 1);
  CHECK(f.validator.jobs[0].account_url == f.kid);
}

// ---- setAuthzStatus --------------------------------------------------------------------------

TEST_CASE("F-AUTHZ-EXPIRE / F-AUTHZ-REVOKE: a valid authz changes for good when read (S-ORD-05)",
          "[wfe][faults][state]") {
  struct Case {
    const char* rule_status;
    const char* shown;
    AuthzStatus effective;
  };
  const Case c = GENERATE(Case{"deactivated", "deactivated", AuthzStatus::kDeactivated},
                          Case{"expired", "expired", AuthzStatus::kExpired},
                          Case{"invalid", "revoked", AuthzStatus::kRevoked});
  INFO(c.rule_status);
  Fixture f;
  f.AddFault({{"fault", "setAuthzStatus"},
              {"where", "authz"},
              {"authzStatus", c.rule_status},
              {"when", {{"identifier", "b.example"}}}});
  const std::string order_id = f.NewOrder(kNames);
  f.Authorize(order_id);
  const auto authz_ids = f.store.GetOrder(order_id)->authz_ids;

  CHECK(Body(f.ReadAuthz(authz_ids.at(0)))["status"] == "valid");  // a.example: not matched
  const http::Response changed = f.ReadAuthz(authz_ids.at(1));
  REQUIRE(changed.status == 200);
  CHECK(Body(changed)["status"] == c.shown);
  const auto stored = f.store.GetAuthorization(authz_ids.at(1));
  CHECK(mockca::core::EffectiveStatus(*stored, f.clock.Now()) == c.effective);
  CHECK(Body(f.ReadAuthz(authz_ids.at(1)))["status"] == c.shown);  // persisted
  CHECK(f.Status(order_id) == OrderStatus::kInvalid);              // the order follows
  CHECK(Body(f.ReadOrder(order_id))["status"] == "invalid");
  CheckProblem(f.Finalize(order_id, kNames), 403, "orderNotReady");
}

TEST_CASE("Without a matching rule a valid authz stays valid, a pending one is never changed",
          "[wfe][faults][state]") {
  Fixture f;
  f.AddFault({{"fault", "setAuthzStatus"},
              {"where", "authz"},
              {"authzStatus", "deactivated"},
              {"when", {{"identifier", "z.example"}}}});
  const std::string order_id = f.NewOrder({"a.example"});
  const std::string authz_id = f.store.GetOrder(order_id)->authz_ids.at(0);
  f.Authorize(order_id);
  CHECK(Body(f.ReadAuthz(authz_id))["status"] == "valid");
  CHECK(f.Status(order_id) == OrderStatus::kReady);

  f.faults.Clear();
  f.AddFault({{"fault", "setAuthzStatus"}, {"authzStatus", "deactivated"}});
  const std::string pending_order = f.NewOrder({"p.example"});
  const std::string pending = f.store.GetOrder(pending_order)->authz_ids.at(0);
  CHECK(Body(f.ReadAuthz(pending))["status"] == "pending");
  CHECK(f.faults.LogJson()["decisions"].empty());  // asked about valid authzs only
}

// ---- issuance --------------------------------------------------------------------------------

TEST_CASE("F-FINALIZE-INVALID: finalize is accepted, then the order turns invalid (S-ORD-03)",
          "[wfe][faults][issuance]") {
  Fixture f;
  f.AddFault({{"fault", "failIssuance"}, {"where", "finalize"}, {"times", 1}});
  const std::string order_id = f.NewOrder(kNames);
  f.Authorize(order_id);
  const http::Response accepted = f.Finalize(order_id, kNames);
  REQUIRE(accepted.status == 200);
  CHECK(Body(accepted)["status"] == "processing");
  CHECK(f.Status(order_id) == OrderStatus::kInvalid);
  const json order = Body(f.ReadOrder(order_id));
  CHECK(order["status"] == "invalid");
  CHECK(order["error"]["type"] == "urn:ietf:params:acme:error:serverInternal");
  CHECK(order["error"]["detail"] == "injected issuance failure");
  CHECK_FALSE(order.contains("certificate"));
  CHECK(f.store.Counts().certificates == 0);
  const json log = f.faults.LogJson()["decisions"];
  REQUIRE(log.size() == 1);
  CHECK(log[0]["where"] == "finalize");
  CHECK(log[0]["account"] == f.kid);

  // times: 1 is used up: the client's next order issues.
  CHECK_FALSE(f.ValidOrder(kNames).empty());
}

TEST_CASE("Without a failIssuance rule for the order, finalize issues (S-FIN-06)",
          "[wfe][faults][issuance]") {
  Fixture f;
  f.AddFault({{"fault", "failIssuance"}, {"when", {{"identifier", "other.example"}}}});
  const std::string order_id = f.ValidOrder(kNames);
  CHECK(f.store.Counts().certificates == 1);
  CHECK(Body(f.ReadOrder(order_id))["status"] == "valid");
}

TEST_CASE("F-ALT-CHAINS: the default certificate URL serves the rule's chain (S-CERT-02/03)",
          "[wfe][faults][issuance]") {
  Fixture f({}, /*alternate_roots=*/2);
  const std::string order_id = f.ValidOrder(kNames);
  const std::string url = f.CertificateUrl(order_id);
  const auto certificate = f.store.GetCertificate(f.store.GetOrder(order_id)->certificate_id);
  const std::string chain0 = f.Read(url).body;
  CHECK(chain0 == LeafPem(*certificate) + f.authority->ChainPem(0));  // no rule: chain 0

  f.AddFault({{"fault", "alternateChain"}, {"where", "certificate"}, {"chain", 2}});
  const http::Response swapped = f.Read(url);
  REQUIRE(swapped.status == 200);
  CHECK(swapped.body == LeafPem(*certificate) + f.authority->ChainPem(2));
  CHECK(swapped.body != chain0);
  // The alternate URLs are untouched.
  CHECK(f.Read(url + "/alternate/1").body == LeafPem(*certificate) + f.authority->ChainPem(1));

  f.faults.Clear();
  f.AddFault({{"fault", "alternateChain"}, {"where", "certificate"}, {"chain", 7}});
  CHECK(f.Read(url).body == chain0);  // no such chain: the default
}

TEST_CASE("reorderChain: the PEM chain comes leaf last (S-CERT-02 broken on purpose)",
          "[wfe][faults][issuance]") {
  Fixture f({}, /*alternate_roots=*/1);
  const std::string order_id = f.ValidOrder(kNames);
  const std::string url = f.CertificateUrl(order_id);
  const auto certificate = f.store.GetCertificate(f.store.GetOrder(order_id)->certificate_id);
  f.AddFault({{"fault", "reorderChain"}, {"where", "certificate"}, {"times", 1}});
  const http::Response reordered = f.Read(url);
  REQUIRE(reordered.status == 200);
  CHECK(reordered.body.ends_with(LeafPem(*certificate)));
  CHECK(reordered.body == f.authority->ChainPem(0) + LeafPem(*certificate));    // one intermediate
  CHECK(f.Read(url).body == LeafPem(*certificate) + f.authority->ChainPem(0));  // used up
  // Not on an alternate URL.
  f.AddFault({{"fault", "reorderChain"}, {"where", "certificate"}});
  CHECK(f.Read(url + "/alternate/1").body.starts_with(LeafPem(*certificate)));
}

}  // namespace

}  // namespace protocol_faults_test
