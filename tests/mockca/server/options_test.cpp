#include "mockca/server/options.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace options_test {

namespace {

using common::ListenAddress;
using mockca::server::MockCaOptions;
using mockca::server::OptionsError;
using Addresses = std::vector<ListenAddress>;
using Kind = OptionsError::Kind;

// A config file under the temp directory, removed again at scope exit.
class TempConfig {
 public:
  explicit TempConfig(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("mockca-options-test-" + std::to_string(::getpid()) + "-" +
               std::to_string(counter_++) + ".json")) {
    std::ofstream(path_) << text;
  }
  ~TempConfig() { std::filesystem::remove(path_); }
  TempConfig(const TempConfig&) = delete;
  TempConfig& operator=(const TempConfig&) = delete;
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

struct Run {
  common::Result<MockCaOptions, OptionsError> result;
  std::vector<std::string> warnings;
};

Run Parse(std::vector<const char*> args, std::map<std::string, std::string> env = {}) {
  std::string usage;
  std::vector<std::string> warnings;
  args.insert(args.begin(), "mockca");
  auto result = mockca::server::ParseMockCaFlags(
      static_cast<int>(args.size()), args.data(),
      [&env](const std::string& name) -> std::optional<std::string> {
        const auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
      },
      &usage, &warnings);
  return {std::move(result), std::move(warnings)};
}

MockCaOptions MustParse(std::vector<const char*> args,
                        std::map<std::string, std::string> env = {}) {
  auto run = Parse(std::move(args), std::move(env));
  INFO((run.result ? std::string() : run.result.error().message));
  REQUIRE(run.result.ok());
  return std::move(run.result).value();
}

OptionsError ErrorOf(std::vector<const char*> args) {
  auto run = Parse(std::move(args));
  REQUIRE_FALSE(run.result.ok());
  return run.result.error();
}

TEST_CASE("Without a config: mockca's defaults", "[server][options]") {
  const MockCaOptions o = MustParse({});
  CHECK(o.acme == Addresses{{"127.0.0.1", 14000}});
  CHECK(o.management == Addresses{{"127.0.0.1", 15000}});
  CHECK(o.key_algorithm == mockca::ca::KeyAlgorithm::kEcdsaP256);
  CHECK(o.http_port == 80);
  CHECK(o.tls_port == 443);
  CHECK_FALSE(o.strict);
  CHECK(o.caa_identities.empty());
  CHECK(o.order_retry_after == std::chrono::seconds(1));
  CHECK(o.authz_reuse_percent == 100);
  CHECK(o.nonce_reject_percent == 0);
  CHECK(o.nonce_cap == 100'000);
}

TEST_CASE("Flag --nonce-cap sets the outstanding nonces kept, at least 1", "[server][options]") {
  CHECK(MustParse({"--nonce-cap", "25000"}).nonce_cap == 25'000);
  CHECK(MustParse({"--nonce-cap=1"}).nonce_cap == 1);
  for (const char* bad : {"0", "-5", "many", ""}) {
    INFO(bad);
    const OptionsError error = ErrorOf({"--nonce-cap", bad});
    CHECK(error.kind == Kind::kUsage);
    CHECK(error.message == std::string("--nonce-cap: \"") + bad + "\" is not a number >= 1");
  }
}

TEST_CASE("Flags -version, -h, positional arguments and -strict forms", "[server][options]") {
  const OptionsError version = ErrorOf({"-version"});
  CHECK(version.kind == Kind::kVersion);
  CHECK(version.message.starts_with("mockca version "));
  CHECK(version.message.ends_with(" (Pebble-compatible)"));
  CHECK(ErrorOf({"--version"}).kind == Kind::kVersion);
  CHECK(ErrorOf({"-h"}).kind == Kind::kHelp);
  const OptionsError positional = ErrorOf({"-strict", "false"});  // pebble.md §1.1: README's form
  CHECK(positional.kind == Kind::kUsage);
  CHECK(positional.message == "unexpected argument \"false\"");
  CHECK(MustParse({"-strict"}).strict);
  CHECK(MustParse({"--strict=true"}).strict);
  CHECK_FALSE(MustParse({"-strict=false"}).strict);
  CHECK(ErrorOf({"-nosuchflag"}).kind == Kind::kUsage);
  CHECK(ErrorOf({"-config", ""}).kind == Kind::kUsage);
}

TEST_CASE("certbot's Pebble command line: -config, -dnsserver, -strict (pebble.md §8)",
          "[server][options]") {
  TempConfig config(R"({"pebble": {"listenAddress": "127.0.0.1:14100",
      "managementListenAddress": "127.0.0.1:15100", "httpPort": 5002, "tlsPort": 5001,
      "ocspResponderURL": "http://127.0.0.1:4002", "externalAccountBindingRequired": false}})");
  auto run = Parse(
      {"-config", config.path().c_str(), "-dnsserver", "127.0.0.1:8053", "-strict"},
      {{"PEBBLE_VA_NOSLEEP", "1"}, {"PEBBLE_WFE_NONCEREJECT", "0"}, {"PEBBLE_AUTHZREUSE", "100"}});
  REQUIRE(run.result.ok());
  const MockCaOptions& o = run.result.value();
  CHECK(o.acme == Addresses{{"127.0.0.1", 14100}});
  CHECK(o.management == Addresses{{"127.0.0.1", 15100}});
  CHECK(o.dns_server == "127.0.0.1:8053");
  CHECK(o.strict);
  CHECK(o.http_port == 5002);
  CHECK(o.tls_port == 5001);
  CHECK(o.ocsp_responder_url == "http://127.0.0.1:4002");
  // Pebble's defaults for keys the config leaves out.
  CHECK(o.key_algorithm == mockca::ca::KeyAlgorithm::kRsa2048);
  CHECK(o.caa_identities == std::vector<std::string>{"pebble.letsencrypt.org"});
  CHECK(run.warnings.empty());
}

TEST_CASE("Flag -dnsserver takes an IP address or localhost and a port", "[server][options]") {
  CHECK(MustParse({"-dnsserver", "localhost:8053"}).dns_server == "127.0.0.1:8053");
  CHECK(MustParse({"-dnsserver", "[::1]:53"}).dns_server == "[::1]:53");
  CHECK(ErrorOf({"-dnsserver", "dns.example:53"}).kind == Kind::kUsage);
  CHECK(ErrorOf({"-dnsserver", "127.0.0.1"}).kind == Kind::kUsage);
}

TEST_CASE("Precedence: defaults < config file < explicit flags", "[server][options]") {
  TempConfig config(R"({"pebble": {"listenAddress": "127.0.0.1:14100",
      "managementListenAddress": "127.0.0.1:15100", "httpPort": 5002, "tlsPort": 5001,
      "keyAlgorithm": "ecdsa", "retryAfter": {"authz": 3, "order": 5},
      "caaIdentities": ["ca.example"], "domainBlocklist": ["Blocked.Example"],
      "externalAccountBindingRequired": true,
      "externalAccountMACKeys": {"kid-1": "AQID"}}})");
  const MockCaOptions o = MustParse({"-config", config.path().c_str(), "--listen", ":0",
                                     "--http-port", "81", "--key-algorithm=rsa"});
  CHECK(o.acme == Addresses{{"127.0.0.1", 0}});            // flag
  CHECK(o.management == Addresses{{"127.0.0.1", 15100}});  // config
  CHECK(o.http_port == 81);                                // flag
  CHECK(o.tls_port == 5001);                               // config
  CHECK(o.key_algorithm == mockca::ca::KeyAlgorithm::kRsa2048);
  CHECK(o.authz_retry_after == std::chrono::seconds(3));
  CHECK(o.order_retry_after == std::chrono::seconds(5));
  CHECK(o.caa_identities == std::vector<std::string>{"ca.example"});
  CHECK(o.domain_blocklist == std::vector<std::string>{"blocked.example"});
  CHECK(o.eab_required);
  CHECK(o.eab_mac_keys == std::map<std::string, std::string>{{"kid-1", "\x01\x02\x03"}});
  // An explicit flag equal to the default still wins over the config.
  CHECK(MustParse({"-config", config.path().c_str(), "--management", ":15000"}).management ==
        Addresses{{"127.0.0.1", 15000}});
}

TEST_CASE("Management listeners stay on loopback unless --expose-management", "[server][options]") {
  // --listen-all opens the ACME and challenge listeners, not the management ones.
  const MockCaOptions all = MustParse({"--listen-all"});
  CHECK(all.acme == Addresses{{"::", 14000}});
  CHECK(all.mockdns_dns == Addresses{{"::", 8053}});
  CHECK(all.management == Addresses{{"127.0.0.1", 15000}});
  CHECK(all.mockdns_management == Addresses{{"127.0.0.1", 8055}});
  const MockCaOptions exposed = MustParse({"--listen-all", "--expose-management"});
  CHECK(exposed.management == Addresses{{"::", 15000}});
  CHECK(exposed.mockdns_management == Addresses{{"::", 8055}});
  // An explicit address off loopback is refused, naming the flag that allows it.
  CHECK_THAT(ErrorOf({"--management", "0.0.0.0:15000"}).message,
             Catch::Contains("--expose-management"));
  CHECK_THAT(ErrorOf({"--mockdns-management", "[::]:8055"}).message,
             Catch::StartsWith("--mockdns-management: [::]:8055 is not loopback"));
  CHECK(MustParse({"--management", "0.0.0.0:15000", "--expose-management"}).management ==
        Addresses{{"0.0.0.0", 15000}});
}

TEST_CASE("Pebble's managementListenAddress 0.0.0.0 serves on loopback with a warning",
          "[server][options]") {
  TempConfig config(R"({"pebble": {"listenAddress": "0.0.0.0:14000",
      "managementListenAddress": "0.0.0.0:15000"}})");
  auto run = Parse({"-config", config.path().c_str()});
  REQUIRE(run.result.ok());
  CHECK(run.result.value().acme == Addresses{{"0.0.0.0", 14000}});
  CHECK(run.result.value().management == Addresses{{"127.0.0.1", 15000}});
  REQUIRE(run.warnings.size() == 1);
  CHECK_THAT(run.warnings[0], Catch::Contains("0.0.0.0:15000"));
  CHECK_THAT(run.warnings[0], Catch::Contains("--expose-management"));
  auto exposed = Parse({"-config", config.path().c_str(), "--expose-management"});
  REQUIRE(exposed.result.ok());
  CHECK(exposed.result.value().management == Addresses{{"0.0.0.0", 15000}});
  CHECK(exposed.warnings.empty());
}

TEST_CASE("retryAfter with one member: the other is 0 (no header), as Pebble",
          "[server][options]") {
  TempConfig config(R"({"pebble": {"retryAfter": {"order": 2}}})");
  const MockCaOptions o = MustParse({"-config", config.path().c_str()});
  CHECK(o.order_retry_after == std::chrono::seconds(2));
  CHECK(o.authz_retry_after == std::chrono::seconds(0));
}

TEST_CASE("Config errors are kConfig and name the key or file", "[server][options]") {
  const OptionsError missing = ErrorOf({"-config", "/nonexistent/pebble.json"});
  CHECK(missing.kind == Kind::kConfig);
  CHECK(missing.message.find("/nonexistent/pebble.json: cannot be read") != std::string::npos);
  TempConfig bad_type(R"({"pebble": {"httpPort": "x"}})");
  const OptionsError type = ErrorOf({"-config", bad_type.path().c_str()});
  CHECK(type.kind == Kind::kConfig);
  CHECK(type.message.find("pebble.httpPort") != std::string::npos);
  TempConfig bad_listen(R"({"pebble": {"listenAddress": "nohost:x"}})");
  const OptionsError listen = ErrorOf({"-config", bad_listen.path().c_str()});
  CHECK(listen.kind == Kind::kConfig);
  CHECK(listen.message.find("pebble.listenAddress") != std::string::npos);
  TempConfig half_tls(R"({"pebble": {"certificate": "cert.pem"}})");
  CHECK(ErrorOf({"-config", half_tls.path().c_str()}).message.find("pebble.privateKey") !=
        std::string::npos);
  TempConfig bad_mac(R"({"pebble": {"externalAccountMACKeys": {"kid-1": "!!"}}})");
  CHECK(ErrorOf({"-config", bad_mac.path().c_str()}).kind == Kind::kConfig);
}

TEST_CASE("Unknown and ignored config keys only warn", "[server][options]") {
  TempConfig config(R"({"pebble": {"certificateValidityPeriod": 157766400, "shiny": true,
      "profiles": {"default": {"description": "d"}}}})");
  auto run = Parse({"-config", config.path().c_str()});
  REQUIRE(run.result.ok());
  CHECK(run.result.value().profiles.size() == 1);
  CHECK(run.warnings.size() == 2);  // the ignored key and the unknown one; profiles are served
}

TEST_CASE("Environment knobs land in the options", "[server][options]") {
  const MockCaOptions o = MustParse({}, {{"PEBBLE_VA_SLEEPTIME", "3"},
                                         {"PEBBLE_VA_ALWAYS_VALID", "1"},
                                         {"PEBBLE_WFE_NONCEREJECT", "20"},
                                         {"MOCKCA_AUTHZREUSE", "0"},
                                         {"PEBBLE_WFE_ORDERS_PER_PAGE", "7"},
                                         {"PEBBLE_ALTERNATE_ROOTS", "2"},
                                         {"PEBBLE_CHAIN_LENGTH", "0"}});
  CHECK(o.va_sleep_seconds == 3);
  CHECK(o.va_always_valid);
  CHECK(o.nonce_reject_percent == 20);
  CHECK(o.authz_reuse_percent == 0);
  CHECK(o.orders_per_page == 7);
  CHECK(o.alternate_roots == 2);
  CHECK(o.chain_length == 1);
}

}  // namespace

}  // namespace options_test
