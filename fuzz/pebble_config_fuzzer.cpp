// mockca's Pebble-style configuration: the JSON config file (ParsePebbleConfig), the
// PEBBLE_*/MOCKCA_* variables (ReadEnvironment), and both merged with the defaults by
// ParseMockCaFlags("mockca -config FILE"), the FILE being an in-memory file (memfd) holding the
// config text.
//
// Input: the config text, optionally followed by "\n%%\n" and environment lines "NAME=value" (a
// value may be empty; a line without '=' sets NAME to ""). MOCKCA_FAULTS is kept only when it is
// inline JSON, so nothing is read from the file system.
// Oracles: every parse is deterministic (twice the same result, values and warnings alike); a
// refused config fails with a message that names where ("pebble.<key>: ...", "the config: ...",
// "no \"pebble\" object..."; "the config is not valid JSON" or "...nests ... deeper") and never
// says "expected an integer 0..N, got V" of a V within 0..N; an accepted config has its values in
// their documented ranges: ports 1..65535 when set (0 reads as absent), keyAlgorithm rsa or ecdsa,
// every MAC key non-empty under a non-empty kid, blocklist entries lowercase, profile validity
// 1..9223372037 s, retryAfter 0..86400 s. The environment's settings are within theirs (sleep
// 0..86400 s, nonce rejection 0..99 %, authz reuse 0..100 %, orders per page >= 1, alternate
// roots 0..1000, chain length 1..1000) and every warning names the variable. ParseMockCaFlags
// either fails with a config or usage error and a message, or gives options with at least one
// ACME listen address, non-zero http and tls ports and the same ranges.

#include <sys/mman.h>
#include <unistd.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "fuzz/split_input.hpp"
#include "mockca/server/environment.hpp"
#include "mockca/server/options.hpp"
#include "mockca/server/pebble_config.hpp"

namespace {

namespace server = mockca::server;

constexpr std::uint64_t kMaxValidity = 9223372037;  // pebble_config.cpp: >= 9223372038 is 90 days

using Environment = std::map<std::string, std::string>;

Environment ParseEnvironment(std::string_view text) {
  Environment env;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    const std::size_t equals = line.find('=');
    std::string name(line.substr(0, equals));
    std::string value(equals == std::string_view::npos ? "" : line.substr(equals + 1));
    const std::size_t first = value.find_first_not_of(" \t\r\n");
    const bool inline_json =
        first != std::string::npos && (value[first] == '[' || value[first] == '{');
    if (name != "MOCKCA_FAULTS" || inline_json) {
      env[std::move(name)] = std::move(value);
    }
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return env;
}

server::EnvGetter GetterOf(const Environment& env) {
  return [&env](const std::string& name) -> std::optional<std::string> {
    const auto found = env.find(name);
    return found == env.end() ? std::nullopt : std::optional<std::string>(found->second);
  };
}

bool IsLowercase(const std::string& text) {
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') {
      return false;
    }
  }
  return true;
}

// Everything a PebbleConfig holds, as text, for the determinism check.
std::string Render(const server::PebbleConfig& c) {
  std::ostringstream out;
  auto opt = [&out](const auto& value) {
    if (value) {
      out << *value;
    } else {
      out << "-";
    }
    out << '\n';
  };
  opt(c.listen_address);
  opt(c.management_listen_address);
  opt(c.certificate);
  opt(c.private_key);
  opt(c.http_port);
  opt(c.tls_port);
  opt(c.ocsp_responder_url);
  opt(c.external_account_binding_required);
  opt(c.key_algorithm);
  opt(c.retry_after_authz);
  opt(c.retry_after_order);
  opt(c.certificate_validity_period);
  for (const auto& [kid, key] : c.external_account_mac_keys) {
    out << "eab " << kid << '=' << key << '\n';
  }
  if (c.caa_identities) {
    for (const auto& caa : *c.caa_identities) {
      out << "caa " << caa << '\n';
    }
  }
  for (const auto& domain : c.domain_blocklist) {
    out << "block " << domain << '\n';
  }
  for (const auto& [name, p] : c.profiles) {
    out << "profile " << name << '=' << p.description << ',' << p.validity_period << ','
        << p.promote_common_name << '\n';
  }
  return out.str();
}

// A message "...: expected an integer 0..<max>, got <value>" must not name a value within range.
bool ContradictsItself(const std::string& message) {
  static constexpr std::string_view kExpected = "expected an integer 0..";
  static constexpr std::string_view kGot = ", got ";
  const std::size_t at = message.find(kExpected);
  const std::size_t got = message.find(kGot, at);
  if (at == std::string::npos || got == std::string::npos) {
    return false;
  }
  std::uint64_t max = 0;
  std::uint64_t value = 0;
  const char* max_begin = message.data() + at + kExpected.size();
  const char* value_begin = message.data() + got + kGot.size();
  const char* end = message.data() + message.size();
  const auto parsed_max = std::from_chars(max_begin, message.data() + got, max);
  const auto parsed_value = std::from_chars(value_begin, end, value);
  return parsed_max.ec == std::errc() && parsed_max.ptr == message.data() + got &&
         parsed_value.ec == std::errc() && parsed_value.ptr == end && value <= max;
}

void CheckConfig(const std::string& text) {
  std::vector<std::string> warnings;
  const auto config = server::ParsePebbleConfig(text, &warnings);
  std::vector<std::string> again_warnings;
  const auto again = server::ParsePebbleConfig(text, &again_warnings);
  FUZZ_CHECK(config.ok() == again.ok());
  FUZZ_CHECK(warnings == again_warnings);
  if (!config) {
    const std::string& message = config.error();
    FUZZ_CHECK(message == again.error());
    FUZZ_CHECK(message.starts_with("pebble") || message.starts_with("the config") ||
               message.starts_with("no \"pebble\" object"));
    FUZZ_CHECK(!ContradictsItself(message));
    return;
  }
  const server::PebbleConfig& c = config.value();
  FUZZ_CHECK(Render(c) == Render(again.value()));
  FUZZ_CHECK(!c.http_port || *c.http_port != 0);
  FUZZ_CHECK(!c.tls_port || *c.tls_port != 0);
  FUZZ_CHECK(!c.key_algorithm || *c.key_algorithm == "rsa" || *c.key_algorithm == "ecdsa");
  for (const auto& [kid, key] : c.external_account_mac_keys) {
    FUZZ_CHECK(!key.empty());
  }
  for (const auto& domain : c.domain_blocklist) {
    FUZZ_CHECK(IsLowercase(domain));
  }
  for (const auto& [name, profile] : c.profiles) {
    FUZZ_CHECK(profile.validity_period >= 1 && profile.validity_period <= kMaxValidity);
  }
  FUZZ_CHECK(!c.retry_after_authz || *c.retry_after_authz <= 86400);
  FUZZ_CHECK(!c.retry_after_order || *c.retry_after_order <= 86400);
}

void CheckSettings(unsigned sleep, unsigned nonce, unsigned reuse, std::size_t per_page,
                   unsigned roots, unsigned chain) {
  FUZZ_CHECK(sleep <= 86400);
  FUZZ_CHECK(nonce <= 99);
  FUZZ_CHECK(reuse <= 100);
  FUZZ_CHECK(per_page >= 1);
  FUZZ_CHECK(roots <= 1000);
  FUZZ_CHECK(chain >= 1 && chain <= 1000);
}

void CheckEnvironment(const Environment& env) {
  std::vector<std::string> warnings;
  const auto s = server::ReadEnvironment(GetterOf(env), &warnings);
  std::vector<std::string> again_warnings;
  const auto again = server::ReadEnvironment(GetterOf(env), &again_warnings);
  FUZZ_CHECK(warnings == again_warnings);
  FUZZ_CHECK(s.va_sleep_seconds == again.va_sleep_seconds &&
             s.va_always_valid == again.va_always_valid &&
             s.nonce_reject_percent == again.nonce_reject_percent &&
             s.authz_reuse_percent == again.authz_reuse_percent &&
             s.orders_per_page == again.orders_per_page &&
             s.alternate_roots == again.alternate_roots && s.chain_length == again.chain_length);
  CheckSettings(s.va_sleep_seconds, s.nonce_reject_percent, s.authz_reuse_percent,
                s.orders_per_page, s.alternate_roots, s.chain_length);
  for (const auto& warning : warnings) {
    FUZZ_CHECK(warning.starts_with("MOCKCA_") || warning.starts_with("PEBBLE_"));
  }
}

// The config as a file ParseMockCaFlags can open: one memfd for the process, rewritten per input
// (a static because the descriptor is reused across inputs; nothing else persists).
std::string ConfigFile(const std::string& text) {
  static const int fd = memfd_create("pebble-config", 0);
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(ftruncate(fd, 0) == 0);
  FUZZ_CHECK(pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()));
  return "/proc/self/fd/" + std::to_string(fd);
}

// What ParseMockCaFlags gave, as text, for the determinism check.
std::string Render(const common::Result<server::MockCaOptions, server::OptionsError>& result,
                   const std::vector<std::string>& warnings) {
  std::ostringstream out;
  for (const auto& warning : warnings) {
    out << "warning " << warning << '\n';
  }
  if (!result) {
    out << "error " << static_cast<int>(result.error().kind) << ' ' << result.error().message;
    return out.str();
  }
  const server::MockCaOptions& o = result.value();
  for (const auto& list : {&o.acme, &o.management, &o.mockdns_dns, &o.mockdns_management,
                           &o.mockdns_http01, &o.mockdns_tls_alpn01}) {
    for (const auto& address : *list) {
      out << address.ToString() << ' ';
    }
    out << '\n';
  }
  out << o.tls_cert << '\n'
      << o.tls_key << '\n'
      << o.http_port << ' ' << o.tls_port << ' ' << static_cast<int>(o.key_algorithm) << ' '
      << o.eab_required << ' ' << o.order_retry_after.count() << ' ' << o.authz_retry_after.count()
      << ' ' << o.ocsp_responder_url << ' ' << o.fault_rules.size() << ' ' << (o.seed ? *o.seed : 0)
      << '\n';
  for (const auto& [kid, key] : o.eab_mac_keys) {
    out << kid << '=' << key << '\n';
  }
  for (const auto& [name, p] : o.profiles) {
    out << name << '=' << p.validity_period << '\n';
  }
  return out.str();
}

void CheckFlags(const std::string& text, const Environment& env) {
  const std::string path = ConfigFile(text);
  const char* argv[] = {"mockca", "-config", path.c_str()};
  std::string usage;
  std::vector<std::string> warnings;
  const auto options = server::ParseMockCaFlags(3, argv, GetterOf(env), &usage, &warnings);
  std::vector<std::string> again_warnings;
  const auto again = server::ParseMockCaFlags(3, argv, GetterOf(env), &usage, &again_warnings);
  FUZZ_CHECK(Render(options, warnings) == Render(again, again_warnings));
  if (!options) {
    const auto kind = options.error().kind;
    FUZZ_CHECK(kind == server::OptionsError::Kind::kConfig ||
               kind == server::OptionsError::Kind::kUsage);
    FUZZ_CHECK(!options.error().message.empty());
    return;
  }
  const server::MockCaOptions& o = options.value();
  FUZZ_CHECK(!o.acme.empty());
  FUZZ_CHECK(o.http_port != 0 && o.tls_port != 0);
  FUZZ_CHECK(o.order_retry_after.count() >= 0 && o.order_retry_after.count() <= 86400);
  FUZZ_CHECK(o.authz_retry_after.count() >= 0 && o.authz_retry_after.count() <= 86400);
  CheckSettings(o.va_sleep_seconds, o.nonce_reject_percent, o.authz_reuse_percent,
                o.orders_per_page, o.alternate_roots, o.chain_length);
  for (const auto& [name, profile] : o.profiles) {
    FUZZ_CHECK(profile.validity_period >= 1 && profile.validity_period <= kMaxValidity);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto [config_text, environment_text] = SplitInput(input);
  const std::string config(config_text);
  const Environment env = ParseEnvironment(environment_text);
  CheckConfig(config);
  CheckEnvironment(env);
  CheckFlags(config, env);
  return 0;
}
