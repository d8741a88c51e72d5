#include "mockca/server/pebble_config.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace pebble_config_test {

namespace {

using mockca::server::ParsePebbleConfig;
using mockca::server::PebbleConfig;

struct Parsed {
  common::Result<PebbleConfig, std::string> result;
  std::vector<std::string> warnings;
};

Parsed Parse(const std::string& text) {
  std::vector<std::string> warnings;
  auto result = ParsePebbleConfig(text, &warnings);
  return {std::move(result), std::move(warnings)};
}

PebbleConfig MustParse(const std::string& text) {
  auto parsed = Parse(text);
  INFO((parsed.result ? std::string() : parsed.result.error()));
  REQUIRE(parsed.result.ok());
  return std::move(parsed.result).value();
}

// The error of a config that must fail.
std::string ErrorOf(const std::string& text) {
  auto parsed = Parse(text);
  REQUIRE_FALSE(parsed.result.ok());
  return parsed.result.error();
}

// Pebble's test/config/pebble-config.json (v2.10.1), certificate paths as shipped.
constexpr const char* kPebbleDefault = R"({
  "pebble": {
    "listenAddress": "0.0.0.0:14000",
    "managementListenAddress": "0.0.0.0:15000",
    "certificate": "test/certs/localhost/cert.pem",
    "privateKey": "test/certs/localhost/key.pem",
    "httpPort": 5002,
    "tlsPort": 5001,
    "ocspResponderURL": "",
    "externalAccountBindingRequired": false,
    "domainBlocklist": ["blocked-domain.example"],
    "retryAfter": {"authz": 3, "order": 5},
    "keyAlgorithm": "ecdsa",
    "profiles": {
      "default": {"description": "The profile you know and love", "validityPeriod": 7776000},
      "shortlived": {"description": "A short-lived cert profile, without actual enforcement",
                     "validityPeriod": 518400}
    }
  }
})";

TEST_CASE("Pebble's own default config parses, every key (pebble.md §1.2)", "[server][config]") {
  auto parsed = Parse(kPebbleDefault);
  REQUIRE(parsed.result.ok());
  CHECK(parsed.warnings.empty());
  const PebbleConfig& c = parsed.result.value();
  CHECK(c.listen_address == "0.0.0.0:14000");
  CHECK(c.management_listen_address == "0.0.0.0:15000");
  CHECK(c.certificate == "test/certs/localhost/cert.pem");
  CHECK(c.private_key == "test/certs/localhost/key.pem");
  CHECK(c.http_port == 5002);
  CHECK(c.tls_port == 5001);
  CHECK(c.ocsp_responder_url == "");
  CHECK(c.external_account_binding_required == false);
  CHECK(c.domain_blocklist == std::vector<std::string>{"blocked-domain.example"});
  CHECK(c.retry_after_authz == 3u);
  CHECK(c.retry_after_order == 5u);
  CHECK(c.key_algorithm == "ecdsa");
  REQUIRE(c.profiles.size() == 2);
  CHECK(c.profiles.at("default").validity_period == 7776000);
  CHECK(c.profiles.at("shortlived").validity_period == 518400);
  CHECK(c.profiles.at("shortlived").description.starts_with("A short-lived"));
  CHECK_FALSE(c.profiles.at("default").promote_common_name);
  CHECK_FALSE(c.caa_identities.has_value());
}

TEST_CASE("The EAB config: MAC keys decoded, certificateValidityPeriod parsed",
          "[server][config]") {
  const PebbleConfig c = MustParse(R"({"pebble": {
      "externalAccountBindingRequired": true,
      "certificateValidityPeriod": 157766400,
      "externalAccountMACKeys": {
        "kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W",
        "kid-3": "HjudV5qnbreN-n9WyFSH-t4HXuEx_XFen45zuxY-G1h6fr74V3cUM_dVlwQZBWmc"}}})");
  CHECK(c.external_account_binding_required == true);
  CHECK(c.certificate_validity_period == 157766400u);
  REQUIRE(c.external_account_mac_keys.size() == 2);
  CHECK(c.external_account_mac_keys.at("kid-1").size() == 48);  // 64 base64url chars
}

TEST_CASE("Keys match case-insensitively, as Go's encoding/json does", "[server][config]") {
  const PebbleConfig c = MustParse(R"({"PEBBLE": {
      "LISTENADDRESS": "127.0.0.1:1", "httpport": 5, "TlsPort": 6, "KeyAlgorithm": "rsa",
      "RETRYAFTER": {"AUTHZ": 1, "Order": 2},
      "profiles": {"p": {"ValidityPeriod": 60, "PROMOTECOMMONNAME": true}},
      "caaidentities": ["ca.example"], "domainBLOCKLIST": ["Blocked.Example"]}})");
  CHECK(c.listen_address == "127.0.0.1:1");
  CHECK(c.http_port == 5);
  CHECK(c.tls_port == 6);
  CHECK(c.key_algorithm == "rsa");
  CHECK(c.retry_after_authz == 1u);
  CHECK(c.retry_after_order == 2u);
  CHECK(c.profiles.at("p").validity_period == 60);
  CHECK(c.profiles.at("p").promote_common_name);
  CHECK(c.caa_identities == std::vector<std::string>{"ca.example"});
  CHECK(c.domain_blocklist == std::vector<std::string>{"blocked.example"});  // lowercased
}

TEST_CASE("Unknown keys warn and are not fatal, null is absent", "[server][config]") {
  auto parsed = Parse(R"({"pebble": {"listenAddress": null, "colour": "blue",
      "retryAfter": {"soon": 1}, "profiles": {"p": {"extra": 1}}}, "other": {}})");
  REQUIRE(parsed.result.ok());
  CHECK_FALSE(parsed.result.value().listen_address.has_value());
  REQUIRE(parsed.warnings.size() == 4);
  CHECK(parsed.warnings[0] == "other: unknown key, ignored");
  CHECK(parsed.warnings[1] == "pebble.colour: unknown key, ignored");
}

TEST_CASE("Profile validityPeriod 0 or past Go's Duration means 90 days", "[server][config]") {
  const PebbleConfig c = MustParse(
      R"({"pebble": {"profiles": {"a": {"validityPeriod": 0},
                                  "b": {"validityPeriod": 9223372038}, "c": {}}}})");
  CHECK(c.profiles.at("a").validity_period == 7776000);
  CHECK(c.profiles.at("b").validity_period == 7776000);
  CHECK(c.profiles.at("c").validity_period == 7776000);
}

// fuzz/corpus/pebble_config/crash-u64-max-validity: integers of 2^63 and above were read as
// int64_t, taken for negative and refused with "expected an integer 0..18446744073709551615".
TEST_CASE("Integers from 2^63 to 2^64-1 are in range for uint64 keys", "[server][config]") {
  const PebbleConfig c = MustParse(
      R"({"pebble": {"profiles": {"a": {"validityPeriod": 18446744073709551615},
                                  "b": {"validityPeriod": 9223372036854775808}},
                     "certificateValidityPeriod": 18446744073709551615}})");
  CHECK(c.profiles.at("a").validity_period == 7776000);
  CHECK(c.profiles.at("b").validity_period == 7776000);
  CHECK(c.certificate_validity_period == 18446744073709551615u);
  CHECK(ErrorOf(R"({"pebble": {"httpPort": 18446744073709551615}})")
            .starts_with("pebble.httpPort: expected an integer 0..65535"));
}

TEST_CASE("Port 0 is taken as absent (Go's zero value)", "[server][config]") {
  const PebbleConfig c = MustParse(R"({"pebble": {"httpPort": 0}})");
  CHECK_FALSE(c.http_port.has_value());
}

TEST_CASE("Bad configs fail with a message naming the key", "[server][config]") {
  CHECK(ErrorOf("{") == "the config is not valid JSON");
  CHECK(ErrorOf("[]").find("{\"pebble\"") != std::string::npos);
  CHECK(ErrorOf(R"({"listenAddress": ":1"})").find("no \"pebble\" object") != std::string::npos);
  CHECK(ErrorOf(R"({"pebble": 3})").find("pebble: expected an object") != std::string::npos);
  CHECK(ErrorOf(R"({"pebble": {"httpPort": "5002"}})") ==
        "pebble.httpPort: expected an integer 0..65535, got \"5002\"");
  CHECK(ErrorOf(R"({"pebble": {"tlsPort": 70000}})").starts_with("pebble.tlsPort:"));
  CHECK(ErrorOf(R"({"pebble": {"httpPort": -1}})").starts_with("pebble.httpPort:"));
  CHECK(ErrorOf(R"({"pebble": {"httpPort": 1.5}})").starts_with("pebble.httpPort:"));
  CHECK(ErrorOf(R"({"pebble": {"listenAddress": 14000}})")
            .starts_with("pebble.listenAddress: expected a string"));
  CHECK(ErrorOf(R"({"pebble": {"externalAccountBindingRequired": "yes"}})")
            .starts_with("pebble.externalAccountBindingRequired: expected true or false"));
  CHECK(ErrorOf(R"({"pebble": {"keyAlgorithm": "ed25519"}})")
            .starts_with("pebble.keyAlgorithm: expected \"rsa\" or \"ecdsa\""));
  CHECK(ErrorOf(R"({"pebble": {"domainBlocklist": "x.example"}})")
            .starts_with("pebble.domainBlocklist: expected an array of strings"));
  CHECK(ErrorOf(R"({"pebble": {"caaIdentities": [1]}})").starts_with("pebble.caaIdentities:"));
  CHECK(ErrorOf(R"({"pebble": {"retryAfter": 3}})").starts_with("pebble.retryAfter:"));
  CHECK(ErrorOf(R"({"pebble": {"retryAfter": {"order": "5"}}})")
            .starts_with("pebble.retryAfter.order:"));
  CHECK(ErrorOf(R"({"pebble": {"profiles": {"p": {"promoteCommonName": 1}}}})")
            .starts_with("pebble.profiles.p.promoteCommonName:"));
  CHECK(ErrorOf(R"({"pebble": {"certificateValidityPeriod": -5}})")
            .starts_with("pebble.certificateValidityPeriod:"));
}

TEST_CASE("A MAC key that is not unpadded base64url is fatal, as in Pebble", "[server][config]") {
  CHECK(ErrorOf(R"({"pebble": {"externalAccountMACKeys": {"kid-1": "abc="}}})")
            .starts_with("pebble.externalAccountMACKeys.kid-1: not an unpadded base64url"));
  CHECK(ErrorOf(R"({"pebble": {"externalAccountMACKeys": {"kid-1": "a+b/"}}})")
            .starts_with("pebble.externalAccountMACKeys.kid-1:"));
  CHECK(ErrorOf(R"({"pebble": {"externalAccountMACKeys": {"kid-1": ""}}})")
            .starts_with("pebble.externalAccountMACKeys.kid-1:"));
  CHECK(ErrorOf(R"({"pebble": {"externalAccountMACKeys": {"kid-1": 5}}})")
            .starts_with("pebble.externalAccountMACKeys.kid-1: expected a base64url string"));
  CHECK(ErrorOf(R"({"pebble": {"externalAccountMACKeys": []}})")
            .starts_with("pebble.externalAccountMACKeys:"));
}

TEST_CASE("LoadPebbleConfig names an unreadable file", "[server][config]") {
  std::vector<std::string> warnings;
  auto missing = mockca::server::LoadPebbleConfig("/nonexistent/pebble.json", &warnings);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error() == "/nonexistent/pebble.json: cannot be read");
}

}  // namespace

}  // namespace pebble_config_test
