#include "mockca/server/environment.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

namespace environment_test {

namespace {

using mockca::server::EnvironmentSettings;
using mockca::server::ReadEnvironment;

// The environment as a map: no process environment is touched.
struct Env {
  explicit Env(std::map<std::string, std::string> values = {}) : vars(std::move(values)) {}

  std::map<std::string, std::string> vars;
  std::vector<std::string> warnings;

  EnvironmentSettings Read() {
    return ReadEnvironment(
        [this](const std::string& name) -> std::optional<std::string> {
          const auto it = vars.find(name);
          return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
        },
        &warnings);
  }
};

TEST_CASE("Unset variables give mockca's friendly defaults, not Pebble's", "[server][env]") {
  Env env;
  const EnvironmentSettings s = env.Read();
  CHECK(s.va_sleep_seconds == 0);  // Pebble: 0..4 s
  CHECK_FALSE(s.va_always_valid);
  CHECK(s.nonce_reject_percent == 0);   // Pebble: 5 %
  CHECK(s.authz_reuse_percent == 100);  // Pebble: about 51 %
  CHECK(s.orders_per_page == 3);
  CHECK(s.alternate_roots == 0);
  CHECK(s.chain_length == 1);
  CHECK(env.warnings.empty());
}

TEST_CASE("certbot's CI environment parses (pebble.md §8)", "[server][env]") {
  Env env{{{"PEBBLE_VA_NOSLEEP", "1"},
           {"PEBBLE_WFE_NONCEREJECT", "0"},
           {"PEBBLE_AUTHZREUSE", "100"},
           {"PEBBLE_ALTERNATE_ROOTS", "2"}}};
  const EnvironmentSettings s = env.Read();
  CHECK(s.va_sleep_seconds == 0);
  CHECK(s.nonce_reject_percent == 0);
  CHECK(s.authz_reuse_percent == 100);
  CHECK(s.alternate_roots == 2);
  CHECK(env.warnings.empty());
}

TEST_CASE("MOCKCA_ wins over PEBBLE_", "[server][env]") {
  Env env{{{"PEBBLE_WFE_NONCEREJECT", "20"}, {"MOCKCA_WFE_NONCEREJECT", "7"}}};
  CHECK(env.Read().nonce_reject_percent == 7);
  Env only_mockca{{{"MOCKCA_CHAIN_LENGTH", "3"}}};
  CHECK(only_mockca.Read().chain_length == 3);
}

TEST_CASE("VA_SLEEPTIME applies unless VA_NOSLEEP is truthy", "[server][env]") {
  CHECK(Env{{{"PEBBLE_VA_SLEEPTIME", "5"}}}.Read().va_sleep_seconds == 5);
  for (const char* truthy : {"1", "true", "True", "TRUE"}) {
    Env env{{{"PEBBLE_VA_SLEEPTIME", "5"}, {"PEBBLE_VA_NOSLEEP", truthy}}};
    CHECK(env.Read().va_sleep_seconds == 0);
  }
  // Not in Pebble's truthy set: NOSLEEP is off, so SLEEPTIME counts.
  for (const char* other : {"0", "yes", "t", "false", ""}) {
    Env env{{{"PEBBLE_VA_SLEEPTIME", "2"}, {"PEBBLE_VA_NOSLEEP", other}}};
    CHECK(env.Read().va_sleep_seconds == 2);
  }
  Env zero{{{"PEBBLE_VA_SLEEPTIME", "0"}}};
  CHECK(zero.Read().va_sleep_seconds == 0);
  CHECK(zero.warnings.size() == 1);
  Env junk{{{"PEBBLE_VA_SLEEPTIME", "5s"}}};
  CHECK(junk.Read().va_sleep_seconds == 0);
  REQUIRE(junk.warnings.size() == 1);
  CHECK(junk.warnings[0].find("PEBBLE_VA_SLEEPTIME") != std::string::npos);
}

TEST_CASE("VA_ALWAYS_VALID takes Pebble's truthy set", "[server][env]") {
  CHECK(Env{{{"PEBBLE_VA_ALWAYS_VALID", "1"}}}.Read().va_always_valid);
  CHECK(Env{{{"MOCKCA_VA_ALWAYS_VALID", "TRUE"}}}.Read().va_always_valid);
  CHECK_FALSE(Env{{{"PEBBLE_VA_ALWAYS_VALID", "yes"}}}.Read().va_always_valid);
}

TEST_CASE("WFE_NONCEREJECT is clamped to 0..99 (Pebble's 100 bug fixed)", "[server][env]") {
  CHECK(Env{{{"PEBBLE_WFE_NONCEREJECT", "20"}}}.Read().nonce_reject_percent == 20);
  CHECK(Env{{{"PEBBLE_WFE_NONCEREJECT", "99"}}}.Read().nonce_reject_percent == 99);
  Env hundred{{{"PEBBLE_WFE_NONCEREJECT", "100"}}};  // Pebble: every nonce rejected
  CHECK(hundred.Read().nonce_reject_percent == 99);
  CHECK(hundred.warnings.size() == 1);
  CHECK(Env{{{"PEBBLE_WFE_NONCEREJECT", "250"}}}.Read().nonce_reject_percent == 99);
  CHECK(Env{{{"PEBBLE_WFE_NONCEREJECT", "-3"}}}.Read().nonce_reject_percent == 0);
  CHECK(Env{{{"PEBBLE_WFE_NONCEREJECT", "+30"}}}.Read().nonce_reject_percent == 30);  // Go Atoi
  Env junk{{{"PEBBLE_WFE_NONCEREJECT", "ten"}}};
  CHECK(junk.Read().nonce_reject_percent == 0);
  CHECK(junk.warnings.size() == 1);
}

TEST_CASE("AUTHZREUSE: 0 never, 100 always, out of range keeps the default", "[server][env]") {
  CHECK(Env{{{"PEBBLE_AUTHZREUSE", "0"}}}.Read().authz_reuse_percent == 0);  // Pebble: 1 %
  CHECK(Env{{{"PEBBLE_AUTHZREUSE", "50"}}}.Read().authz_reuse_percent == 50);
  CHECK(Env{{{"PEBBLE_AUTHZREUSE", "100"}}}.Read().authz_reuse_percent == 100);
  Env high{{{"PEBBLE_AUTHZREUSE", "101"}}};
  CHECK(high.Read().authz_reuse_percent == 100);
  CHECK(high.warnings.size() == 1);
  CHECK(Env{{{"PEBBLE_AUTHZREUSE", "-1"}}}.Read().authz_reuse_percent == 100);
}

TEST_CASE("WFE_ORDERS_PER_PAGE must be > 0", "[server][env]") {
  CHECK(Env{{{"PEBBLE_WFE_ORDERS_PER_PAGE", "10"}}}.Read().orders_per_page == 10);
  Env zero{{{"PEBBLE_WFE_ORDERS_PER_PAGE", "0"}}};
  CHECK(zero.Read().orders_per_page == 3);
  CHECK(zero.warnings.size() == 1);
}

TEST_CASE("ALTERNATE_ROOTS and CHAIN_LENGTH (0 becomes 1, no panic)", "[server][env]") {
  Env env{{{"PEBBLE_ALTERNATE_ROOTS", "3"}, {"PEBBLE_CHAIN_LENGTH", "2"}}};
  const EnvironmentSettings s = env.Read();
  CHECK(s.alternate_roots == 3);
  CHECK(s.chain_length == 2);
  Env zero{{{"PEBBLE_CHAIN_LENGTH", "0"}}};  // Pebble panics
  CHECK(zero.Read().chain_length == 1);
  REQUIRE(zero.warnings.size() == 1);
  CHECK(zero.warnings[0].find("PEBBLE_CHAIN_LENGTH") != std::string::npos);
  CHECK(Env{{{"PEBBLE_ALTERNATE_ROOTS", "-1"}}}.Read().alternate_roots == 0);
  CHECK(Env{{{"PEBBLE_CHAIN_LENGTH", "x"}}}.Read().chain_length == 1);
}

}  // namespace

}  // namespace environment_test
