#include "mockca/jose/eab.hpp"

#include <map>
#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "tests/support/eab_signer.hpp"
#include "tests/support/jws_signer.hpp"

namespace mockca_jose_eab_test {

namespace {

using mockca::acme::ProblemType;
using mockca::jose::CheckEabKey;
using mockca::jose::ParseEab;
using mockca::jose::ParseJwk;
using mockca::jose::PublicKey;
using mockca::jose::VerifyEab;
using mockca::jose::VerifyEabMac;
using nlohmann::json;
using support::Base64Url;
using support::EabHeader;
using support::KeyKind;
using support::MacFlattened;
using support::MakeEab;
using support::SharedKey;
using support::TestKey;

const std::string kUrl = "https://ca.test:14000/sign-me-up";
const std::string kKid = "kid-1";
const std::string kMacKey(32, '\x5a');  // S-EAB-04: the hash length of HS256

PublicKey KeyOf(const TestKey& key) {
  auto parsed = ParseJwk(key.PublicJwk());
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

mockca::jose::MacKeyLookup Keys(std::map<std::string, std::string> keys) {
  return [keys = std::move(keys)](const std::string& kid) -> std::optional<std::string> {
    const auto it = keys.find(kid);
    return it == keys.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

// The problem VerifyEab gives value, or nullopt when it verifies.
std::optional<mockca::acme::Problem> Verify(const json& value, const TestKey& outer) {
  const auto result = VerifyEab(value, kUrl, KeyOf(outer), Keys({{kKid, kMacKey}}));
  if (result) {
    return std::nullopt;
  }
  return result.error();
}

void CheckFails(const json& value, ProblemType type, int status, const std::string& detail = "") {
  const auto problem = Verify(value, SharedKey(KeyKind::kP256));
  REQUIRE(problem.has_value());
  CHECK(problem->type == type);
  CHECK(problem->status == status);
  CHECK_THAT(problem->detail, Catch::Contains(detail));
}

TEST_CASE("VerifyEab accepts HS256/384/512 with keys of the hash length (S-EAB-02, S-EAB-04)",
          "[jose][eab]") {
  const auto [alg, size] = GENERATE(table<std::string, std::size_t>(
      {{"HS256", 32}, {"HS384", 48}, {"HS512", 64}, {"HS256", 48}, {"HS512", 16}}));
  const std::string mac_key(size, '\x07');
  const TestKey& account = SharedKey(KeyKind::kP256);
  const json sent = MakeEab(account, "kid-" + alg, mac_key, kUrl, alg);
  const auto eab = VerifyEab(sent, kUrl, KeyOf(account), Keys({{"kid-" + alg, mac_key}}));
  REQUIRE(eab.ok());
  CHECK(eab->alg == alg);
  CHECK(eab->kid == "kid-" + alg);
  CHECK(eab->sent == sent);  // S-EAB-03: kept as sent
}

TEST_CASE("VerifyEab accepts an RSA account key in the payload (S-EAB-02 step 5)", "[jose][eab]") {
  const TestKey& account = SharedKey(KeyKind::kRsa2048);
  CHECK_FALSE(Verify(MakeEab(account, kKid, kMacKey, kUrl), account).has_value());
}

TEST_CASE("VerifyEab rejects a value that is not a flattened JWS (S-EAB-02 step 1)",
          "[jose][eab]") {
  const json good = MakeEab(SharedKey(KeyKind::kP256), kKid, kMacKey, kUrl);
  json with_header = good;
  with_header["header"] = {{"kid", kKid}};
  json general = good;
  general["signatures"] = json::array({{{"signature", good["signature"]}}});
  json no_payload = good;
  no_payload.erase("payload");
  json padded = good;
  padded["signature"] = good["signature"].get<std::string>() + "=";
  json empty_signature = good;
  empty_signature["signature"] = "";
  const json value = GENERATE_COPY(json("a.b.c"), json::array(), json(42), with_header, general,
                                   no_payload, padded, empty_signature);
  CheckFails(value, ProblemType::kMalformed, 400);
}

TEST_CASE("VerifyEab checks the protected header: MAC alg, kid, no nonce (S-EAB-02 step 2)",
          "[jose][eab]") {
  const std::string payload = SharedKey(KeyKind::kP256).PublicJwk().dump();
  struct Case {
    const char* name;
    json header;
    const char* detail;
  };
  const Case cases[] = {
      {"RS256", EabHeader("RS256", kKid, kUrl), "\"alg\""},
      {"none", EabHeader("none", kKid, kUrl), "\"alg\""},
      {"no alg", {{"kid", kKid}, {"url", kUrl}}, "\"alg\""},
      {"nonce", {{"alg", "HS256"}, {"kid", kKid}, {"url", kUrl}, {"nonce", "abc"}}, "nonce"},
      {"no kid", {{"alg", "HS256"}, {"url", kUrl}}, "\"kid\""},
      {"empty kid", EabHeader("HS256", "", kUrl), "\"kid\""},
      {"numeric kid", {{"alg", "HS256"}, {"kid", 1}, {"url", kUrl}}, "\"kid\""},
      {"crit", {{"alg", "HS256"}, {"kid", kKid}, {"url", kUrl}, {"crit", {"x"}}}, "crit"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      CheckFails(MacFlattened(kMacKey, c.header, payload), ProblemType::kMalformed, 400, c.detail);
    }
  }
  SECTION("header not JSON") {
    const json value = {{"protected", Base64Url("{nope")},
                        {"payload", Base64Url(payload)},
                        {"signature", Base64Url("x")}};
    CheckFails(value, ProblemType::kMalformed, 400, "protected header");
  }
}

TEST_CASE("VerifyEab requires url equal to the outer url (S-EAB-02 step 2)", "[jose][eab]") {
  const TestKey& account = SharedKey(KeyKind::kP256);
  const std::string payload = account.PublicJwk().dump();
  CheckFails(MakeEab(account, kKid, kMacKey, kUrl + "/"), ProblemType::kMalformed, 400, "\"url\"");
  CheckFails(MacFlattened(kMacKey, {{"alg", "HS256"}, {"kid", kKid}}, payload),
             ProblemType::kMalformed, 400, "\"url\"");
}

TEST_CASE("VerifyEab: an unknown kid is unauthorized (S-EAB-02 step 3)", "[jose][eab]") {
  CheckFails(MakeEab(SharedKey(KeyKind::kP256), "kid-unknown", kMacKey, kUrl),
             ProblemType::kUnauthorized, 403, "kid-unknown");
  const auto no_lookup = VerifyEab(MakeEab(SharedKey(KeyKind::kP256), kKid, kMacKey, kUrl), kUrl,
                                   KeyOf(SharedKey(KeyKind::kP256)), nullptr);
  REQUIRE_FALSE(no_lookup.ok());
  CHECK(no_lookup.error().type == ProblemType::kUnauthorized);
}

TEST_CASE("VerifyEab: a MAC that does not verify is unauthorized (S-EAB-02 step 4)",
          "[jose][eab]") {
  const TestKey& account = SharedKey(KeyKind::kP256);
  const std::string payload = account.PublicJwk().dump();
  SECTION("other key") {
    CheckFails(MakeEab(account, kKid, std::string(32, '\x5b'), kUrl), ProblemType::kUnauthorized,
               403, "MAC");
  }
  SECTION("MACed as HS384, labelled HS256") {
    json value = MacFlattened(kMacKey, EabHeader("HS384", kKid, kUrl), payload);
    const json relabelled = MacFlattened(kMacKey, EabHeader("HS256", kKid, kUrl), payload);
    value["protected"] = relabelled["protected"];
    CheckFails(value, ProblemType::kUnauthorized, 403, "MAC");
  }
  SECTION("truncated MAC") {
    json value = MakeEab(account, kKid, kMacKey, kUrl);
    value["signature"] = value["signature"].get<std::string>().substr(0, 20);
    CheckFails(value, ProblemType::kUnauthorized, 403, "MAC");
  }
  SECTION("payload changed after MACing") {
    json value = MakeEab(account, kKid, kMacKey, kUrl);
    value["payload"] = Base64Url(SharedKey(KeyKind::kP384).PublicJwk().dump());
    CheckFails(value, ProblemType::kUnauthorized, 403, "MAC");
  }
  SECTION("empty MAC key") {
    auto eab = ParseEab(MakeEab(account, kKid, "", kUrl), kUrl);
    REQUIRE(eab.ok());
    const auto status = VerifyEabMac(*eab, "");
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().type == ProblemType::kUnauthorized);
  }
}

TEST_CASE("VerifyEab: the payload must be the outer key (S-EAB-02 step 5)", "[jose][eab]") {
  const TestKey& account = SharedKey(KeyKind::kP256);
  SECTION("another key is badPublicKey, as Pebble") {
    CheckFails(MakeEab(SharedKey(KeyKind::kP384), kKid, kMacKey, kUrl), ProblemType::kBadPublicKey,
               400, "payload key");
  }
  SECTION("a payload that is not a JWK is malformed") {
    const std::string payload =
        GENERATE(std::string("not json"), std::string("{}"),
                 std::string("{\"kty\":\"oct\",\"k\":\"AAAA\"}"), std::string(""));
    CheckFails(MacFlattened(kMacKey, EabHeader("HS256", kKid, kUrl), payload),
               ProblemType::kMalformed, 400, "payload");
  }
  SECTION("the same key spelled with extra members is the same key") {
    json jwk = account.PublicJwk();
    jwk["use"] = "sig";
    const json value = MacFlattened(kMacKey, EabHeader("HS256", kKid, kUrl), jwk.dump());
    CHECK_FALSE(Verify(value, account).has_value());
  }
}

TEST_CASE("CheckEabKey runs only on a parsed binding and compares keys", "[jose][eab]") {
  const TestKey& account = SharedKey(KeyKind::kEd25519);
  auto eab = ParseEab(MakeEab(account, kKid, kMacKey, kUrl), kUrl);
  REQUIRE(eab.ok());
  CHECK(CheckEabKey(*eab, KeyOf(account)).ok());
  const auto other = CheckEabKey(*eab, KeyOf(SharedKey(KeyKind::kP256)));
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().type == ProblemType::kBadPublicKey);
}

}  // namespace

}  // namespace mockca_jose_eab_test
