#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "mockca/wfe/account_binding.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/eab_keys.hpp"
#include "tests/support/eab_signer.hpp"
#include "tests/support/jws_signer.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace mockca_wfe_eab_test {

namespace {

using mockca::wfe::AccountPolicy;
using mockca::wfe::EabKeys;
using nlohmann::json;
using support::Body;
using support::CheckProblemWithNonce;
using support::HeaderOf;
using support::KeyKind;
using support::kWfeBase;
using support::MakeEab;
using support::SharedKey;
using support::TestKey;

const std::string kNewAccountUrl = kWfeBase + "/sign-me-up";
const std::string kKid = "kid-1";
const std::string kMacKey(48, '\x21');  // Pebble's example keys are 48 bytes

// The WFE's account routes with EAB keys {kid-1}; policy.eab_keys is pointed at keys.
struct Fixture : support::WfeFixture {
  EabKeys keys;

  explicit Fixture(AccountPolicy policy = {.eab_required = true}) : WfeFixture(29) {
    REQUIRE(keys.Add(kKid, kMacKey).ok());
    if (policy.eab_keys == nullptr) {
      policy.eab_keys = &keys;
    }
    mockca::wfe::AddAccountRoutes(router, store, auth, std::move(policy));
  }

  // An agreed newAccount by signer carrying eab (none when null).
  http::Response NewAccount(const TestKey& signer, const json& eab, json payload = json::object()) {
    payload["termsOfServiceAgreed"] = true;
    if (!eab.is_null()) {
      payload["externalAccountBinding"] = eab;
    }
    return Post(signer, kNewAccountUrl, payload.dump());
  }

  json Eab(const TestKey& account, const std::string& kid = kKid,
           const std::string& mac_key = kMacKey) const {
    return MakeEab(account, kid, mac_key, kNewAccountUrl);
  }
};

AccountPolicy Unsupported() {
  AccountPolicy policy;
  policy.eab_required = false;
  policy.eab_keys = nullptr;
  return policy;
}

TEST_CASE("EAB required and absent: 403 externalAccountRequired, nothing created (S-EAB-01)",
          "[wfe][eab]") {
  Fixture f;
  const json absent = GENERATE(json(nullptr), json::object());
  json payload = {{"termsOfServiceAgreed", true}};
  if (absent.is_object()) {
    payload["externalAccountBinding"] = nullptr;  // null reads as absent, as in Pebble
  }
  CheckProblemWithNonce(f.Post(f.key, kNewAccountUrl, payload.dump()), 403,
                        "externalAccountRequired");
  CHECK(f.store.Counts().accounts == 0);
}

TEST_CASE("The ToS check runs before EAB, as in Pebble (S-ACCT-06, S-EAB-01)", "[wfe][eab]") {
  Fixture f;
  CheckProblemWithNonce(f.Post(f.key, kNewAccountUrl, "{}"), 403, "userActionRequired");
}

TEST_CASE("A verified binding creates the account and is echoed as sent (S-EAB-02, S-EAB-03)",
          "[wfe][eab]") {
  Fixture f;
  const std::string alg =
      GENERATE(std::string("HS256"), std::string("HS384"), std::string("HS512"));
  const json eab = MakeEab(f.key, kKid, kMacKey, kNewAccountUrl, alg);
  const http::Response created = f.NewAccount(f.key, eab);
  REQUIRE(created.status == 201);
  CHECK(Body(created)["externalAccountBinding"] == eab);
  CHECK(Body(created)["status"] == "valid");
  const std::string location = HeaderOf(created, "Location");
  const auto stored = f.store.GetAccount(location.substr((kWfeBase + "/my-account/").size()));
  REQUIRE(stored.has_value());
  CHECK(stored->eab_kid == kKid);
  SECTION("the stored account keeps it: re-registration and POST-as-GET (S-ACCT-03)") {
    const http::Response again = f.NewAccount(f.key, nullptr);  // no EAB needed for an existing key
    CHECK(again.status == 200);
    CHECK(Body(again)["externalAccountBinding"] == eab);
    const http::Response fetched = f.Post(f.key, location, "", location);
    CHECK(fetched.status == 200);
    CHECK(Body(fetched)["externalAccountBinding"] == eab);
  }
}

TEST_CASE("onlyReturnExisting skips EAB for an existing account, as Pebble (S-ACCT-04, S-EAB-01)",
          "[wfe][eab]") {
  Fixture f;
  REQUIRE(f.NewAccount(f.key, f.Eab(f.key)).status == 201);
  const json lookup = {{"onlyReturnExisting", true}};
  CHECK(f.Post(f.key, kNewAccountUrl, lookup.dump()).status == 200);
  CheckProblemWithNonce(f.Post(f.other_key, kNewAccountUrl, lookup.dump()), 400,
                        "accountDoesNotExist");  // before EAB, so not externalAccountRequired
}

TEST_CASE("Each failed EAB step rejects the newAccount (S-EAB-02)", "[wfe][eab]") {
  Fixture f;
  SECTION("not a JWS: malformed") {
    CheckProblemWithNonce(f.NewAccount(f.key, "a.b.c"), 400, "malformed");
  }
  SECTION("url differs from the outer url: malformed") {
    CheckProblemWithNonce(
        f.NewAccount(f.key, MakeEab(f.key, kKid, kMacKey, kWfeBase + "/new-order")), 400,
        "malformed");
  }
  SECTION("unknown kid: unauthorized") {
    CheckProblemWithNonce(f.NewAccount(f.key, f.Eab(f.key, "kid-2")), 403, "unauthorized");
  }
  SECTION("bad MAC: unauthorized") {
    CheckProblemWithNonce(f.NewAccount(f.key, f.Eab(f.key, kKid, std::string(48, '\x22'))), 403,
                          "unauthorized");
  }
  SECTION("payload is another key: badPublicKey") {
    CheckProblemWithNonce(f.NewAccount(f.key, f.Eab(f.other_key)), 400, "badPublicKey");
  }
  CHECK(f.store.Counts().accounts == 0);
}

TEST_CASE("EAB not required but sent is still verified, as Pebble (S-EAB-02, S-EAB-03)",
          "[wfe][eab]") {
  Fixture f(AccountPolicy{.eab_required = false});
  SECTION("absent: an account without a binding") {
    const http::Response response = f.NewAccount(f.key, nullptr);
    REQUIRE(response.status == 201);
    CHECK_FALSE(Body(response).contains("externalAccountBinding"));
  }
  SECTION("valid: echoed") {
    const json eab = f.Eab(f.key);
    const http::Response response = f.NewAccount(f.key, eab);
    REQUIRE(response.status == 201);
    CHECK(Body(response)["externalAccountBinding"] == eab);
  }
  SECTION("bad MAC: refused") {
    CheckProblemWithNonce(f.NewAccount(f.key, f.Eab(f.key, kKid, "other")), 403, "unauthorized");
    CHECK(f.store.Counts().accounts == 0);
  }
}

TEST_CASE("Without EAB support a binding is ignored and never echoed (S-EAB-03)", "[wfe][eab]") {
  support::WfeFixture f(31);
  mockca::wfe::AddAccountRoutes(f.router, f.store, f.auth, Unsupported());
  json payload = {{"termsOfServiceAgreed", true},
                  {"externalAccountBinding", MakeEab(f.key, kKid, "unknown", kNewAccountUrl)}};
  const http::Response response = f.Post(f.key, kNewAccountUrl, payload.dump());
  REQUIRE(response.status == 201);
  CHECK_FALSE(Body(response).contains("externalAccountBinding"));
}

TEST_CASE("EAB required with no key registry: a binding is unauthorized (S-EAB-02)", "[wfe][eab]") {
  support::WfeFixture f(37);
  AccountPolicy policy;
  policy.eab_required = true;
  mockca::wfe::AddAccountRoutes(f.router, f.store, f.auth, policy);
  json payload = {{"termsOfServiceAgreed", true},
                  {"externalAccountBinding", MakeEab(f.key, kKid, kMacKey, kNewAccountUrl)}};
  CheckProblemWithNonce(f.Post(f.key, kNewAccountUrl, payload.dump()), 403, "unauthorized");
}

TEST_CASE("A key added at run time binds at once (S-EAB-02, S-EAB-04)", "[wfe][eab]") {
  Fixture f;
  const std::string mac_key(64, '\x33');
  CheckProblemWithNonce(f.NewAccount(f.key, f.Eab(f.key, "kid-late", mac_key)), 403,
                        "unauthorized");
  REQUIRE(f.keys.Add("kid-late", mac_key).ok());
  CHECK(f.NewAccount(f.key, f.Eab(f.key, "kid-late", mac_key)).status == 201);
}

TEST_CASE("One kid binds many accounts unless the policy says one (S-EAB-05)", "[wfe][eab]") {
  SECTION("Pebble: reuse allowed") {
    Fixture f;
    CHECK(f.NewAccount(f.key, f.Eab(f.key)).status == 201);
    CHECK(f.NewAccount(f.other_key, f.Eab(f.other_key)).status == 201);
  }
  SECTION("one account per key: reuse is unauthorized") {
    Fixture f(AccountPolicy{.eab_required = true, .eab_one_account_per_key = true});
    // A request refused after EAB verification (bad contact) does not use up the kid.
    CheckProblemWithNonce(f.NewAccount(f.key, f.Eab(f.key), {{"contact", {"tel:+1"}}}), 400,
                          "unsupportedContact");
    CHECK(f.NewAccount(f.key, f.Eab(f.key)).status == 201);
    CheckProblemWithNonce(f.NewAccount(f.other_key, f.Eab(f.other_key)), 403, "unauthorized");
    CHECK(f.store.Counts().accounts == 1);
    CHECK(f.NewAccount(f.key, nullptr).status == 200);  // the bound account itself still works
  }
}

TEST_CASE("EabKeys adds, replaces and finds keys, kids are ASCII (S-EAB-04)", "[wfe][eab]") {
  EabKeys keys;
  CHECK(keys.size() == 0);
  CHECK_FALSE(keys.Find("kid-1").has_value());
  REQUIRE(keys.Add("kid-1", "abc").ok());
  CHECK(keys.Find("kid-1") == "abc");
  REQUIRE(keys.Add("kid-1", "def").ok());
  CHECK(keys.Find("kid-1") == "def");
  CHECK(keys.size() == 1);
  CHECK_FALSE(keys.Add("", "abc").ok());
  CHECK_FALSE(keys.Add("k\xc3\xa9y", "abc").ok());
  CHECK_FALSE(keys.Add("tab\there", "abc").ok());
  CHECK(keys.Add("with space", "abc").ok());
  CHECK_FALSE(keys.Add("kid-2", "").ok());
  CHECK(keys.size() == 2);
  CHECK(keys.Claim("kid-1"));
  CHECK_FALSE(keys.Claim("kid-1"));
}

TEST_CASE("EabKeys is safe under concurrent Add, Find and Claim", "[wfe][eab]") {
  EabKeys keys;
  std::atomic<int> claims{0};
  std::atomic<int> misses{0};  // Catch2 assertions are not thread-safe: count, check after
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&keys, &claims, &misses, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string kid = "kid-" + std::to_string(i);
        (void)keys.Add(kid, "key-" + std::to_string(t));
        misses += keys.Find(kid).has_value() ? 0 : 1;
        claims += keys.Claim(kid) ? 1 : 0;
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  CHECK(misses == 0);
  CHECK(keys.size() == 200);
  CHECK(claims == 200);  // exactly one claim per kid
}

}  // namespace

}  // namespace mockca_wfe_eab_test
