#include "mockca/server/options.hpp"

#include <charconv>
#include <initializer_list>
#include <tuple>
#include <utility>

#include "common/ascii.hpp"
#include "common/flag_set.hpp"
#include "common/ip_literal.hpp"
#include "faults/fault_rules_file.hpp"

namespace mockca::server {
namespace {

constexpr const char* kVersion = "0.1.0";
// Pebble's caaIdentities when a config file leaves the key out.
constexpr const char* kPebbleCaaIdentity = "pebble.letsencrypt.org";
// A string flag still holding this after Parse was not given on the command line.
constexpr const char* kUnset = "\x01unset";

OptionsError Usage(std::string message) {
  return {OptionsError::Kind::kUsage, std::move(message)};
}
OptionsError Config(std::string message) {
  return {OptionsError::Kind::kConfig, std::move(message)};
}

template <typename Number>
common::Result<Number, OptionsError> ParseNumber(const std::string& text, const char* flag) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Usage(std::string("--") + flag + ": \"" + text + "\" is not a number in range");
  }
  return value;
}

// The flags' text values, defaults first; the config then the command line overwrite them.
struct FlagValues {
  std::string acme = ":14000", management = ":15000", tls_cert, tls_key, http_port = "80",
              tls_port = "443", key_algorithm = "ecdsa", seed, mockdns_dns = ":8053",
              mockdns_management = ":8055", mockdns_http01 = ":5002", mockdns_tls_alpn01 = ":5001",
              config, faults, record_cap, nonce_cap;
};

// Moves each address of list that is not loopback to the loopback address of its family, with a
// warning naming where it came from and the flag that keeps it.
void KeepOnLoopback(std::vector<common::ListenAddress>& list, const std::string& source,
                    std::vector<std::string>* warnings) {
  for (common::ListenAddress& address : list) {
    if (address.IsLoopback()) {
      continue;
    }
    const std::string asked = address.ToString();
    address.host = address.host.find(':') == std::string::npos ? "127.0.0.1" : "::1";
    warnings->push_back(
        source + " " + asked + ": the management API serves on " + address.ToString() +
        " (it hands out the test CA's private keys); --expose-management binds " + asked);
  }
}

// Replaces the defaults in values, and fills options, from a parsed config.
void ApplyConfig(PebbleConfig config, FlagValues& values, MockCaOptions& options,
                 std::vector<std::string>* warnings) {
  if (config.listen_address) {
    values.acme = *config.listen_address;
  }
  if (config.management_listen_address) {
    values.management = *config.management_listen_address;
  }
  if (config.certificate) {
    values.tls_cert = *config.certificate;
  }
  if (config.private_key) {
    values.tls_key = *config.private_key;
  }
  if (config.http_port) {
    values.http_port = std::to_string(*config.http_port);
  }
  if (config.tls_port) {
    values.tls_port = std::to_string(*config.tls_port);
  }
  // Pebble's default without the key is rsa; mockca's own default (no config) stays ecdsa.
  values.key_algorithm = config.key_algorithm.value_or("rsa");
  options.eab_required = config.external_account_binding_required.value_or(false);
  options.eab_mac_keys = std::move(config.external_account_mac_keys);
  options.caa_identities =
      config.caa_identities.value_or(std::vector<std::string>{kPebbleCaaIdentity});
  options.domain_blocklist = std::move(config.domain_blocklist);
  options.profiles = std::move(config.profiles);
  if (config.retry_after_authz || config.retry_after_order) {
    // Pebble: a retryAfter member that is absent is 0, i.e. no header.
    options.authz_retry_after = std::chrono::seconds(config.retry_after_authz.value_or(0));
    options.order_retry_after = std::chrono::seconds(config.retry_after_order.value_or(0));
  }
  if (config.ocsp_responder_url && !config.ocsp_responder_url->empty()) {
    options.ocsp_responder_url = *config.ocsp_responder_url;
  }
  if (config.certificate_validity_period) {
    warnings->push_back(
        "pebble.certificateValidityPeriod: ignored, as by Pebble since v2.7.0 (use profiles)");
  }
}

void ApplyEnvironment(const EnvironmentSettings& env, MockCaOptions& options) {
  options.va_sleep_seconds = env.va_sleep_seconds;
  options.va_always_valid = env.va_always_valid;
  options.nonce_reject_percent = env.nonce_reject_percent;
  options.authz_reuse_percent = env.authz_reuse_percent;
  options.orders_per_page = env.orders_per_page;
  options.alternate_roots = env.alternate_roots;
  options.chain_length = env.chain_length;
}

}  // namespace

std::string VersionLine() {
  return std::string("mockca version ") + kVersion + " (Pebble-compatible)";
}

common::Result<MockCaOptions, OptionsError> ParseMockCaFlags(int argc, const char* const* argv,
                                                             const EnvGetter& getenv,
                                                             std::string* usage,
                                                             std::vector<std::string>* warnings) {
  FlagValues defaults;
  FlagValues given;  // kUnset unless on the command line
  MockCaOptions options;
  bool listen_all = false, version = false;

  common::FlagSet flags("mockca");
  // The help shows the defaults; then every target is reset to kUnset to see what argv sets.
  given = defaults;
  flags.String({"config"}, &given.config,
               "Pebble's JSON config {\"pebble\": {...}}; flags given explicitly override it");
  flags.String({"listen"}, &given.acme,
               "Comma separated bind addresses/ports for the ACME server (HTTPS); :0 picks a port");
  flags.String({"management"}, &given.management,
               "Bind addresses/ports for the management interface (HTTPS). Set empty to disable.");
  flags.String({"tls-cert"}, &given.tls_cert,
               "PEM certificate (chain) for both HTTPS listeners (default: the built-in one for "
               "localhost, 127.0.0.1 and ::1, issued by mockca/certs/test-root.pem)");
  flags.String({"tls-key"}, &given.tls_key, "PEM private key for --tls-cert");
  flags.String({"dns-server", "dnsserver"}, &options.dns_server,
               "host:port of the DNS server the VA asks; empty starts an embedded mockdns");
  flags.String({"http-port"}, &given.http_port, "Port the VA connects to for http-01");
  flags.String({"tls-port"}, &given.tls_port, "Port the VA connects to for tls-alpn-01");
  flags.String({"key-algorithm"}, &given.key_algorithm,
               "Key algorithm of the generated root and intermediate: ecdsa (P-256) or rsa (2048)");
  flags.String({"mockdns-dns"}, &given.mockdns_dns,
               "Embedded mockdns: DNS (UDP and TCP) addresses");
  flags.String({"mockdns-management"}, &given.mockdns_management,
               "Embedded mockdns: management API addresses (pebble-challtestsrv's); empty: off");
  flags.String({"mockdns-http01"}, &given.mockdns_http01,
               "Embedded mockdns: http-01 responder addresses; empty: off");
  flags.String({"mockdns-tlsalpn01"}, &given.mockdns_tls_alpn01,
               "Embedded mockdns: tls-alpn-01 responder addresses; empty: off");
  flags.String({"ari-explanation-url"}, &options.ari_explanation_url,
               "explanationURL in every ARI renewalInfo answer (RFC 9773); empty: none");
  flags.Bool({"strict"}, &options.strict,
             "Pebble's -strict: refuse a JWS payload with \"resource\" and a challenge POST body "
             "other than {}");
  flags.Bool({"listen-all"}, &listen_all,
             "Addresses without a host bind every interface instead of 127.0.0.1 (management "
             "listeners only with --expose-management)");
  bool expose_management = false;
  flags.Bool({"expose-management"}, &expose_management,
             "Allow the management listeners (mockca's and the embedded mockdns's) on addresses "
             "other than loopback: they serve the test CA's private keys and control faults");
  flags.String({"seed"}, &given.seed,
               "Seed for every random choice, fault draws included (else MOCKCA_SEED; printed at "
               "start when neither is given)");
  flags.String({"faults"}, &given.faults,
               "Fault rules in force from the start: a JSON file (README \"Faults\"); else "
               "MOCKCA_FAULTS, a file name or the JSON itself");
  bool no_record = false;
  flags.Bool({"no-record"}, &no_record,
             "Do not record exchanges (the conformance report then has nothing to judge)");
  flags.String({"record-cap"}, &given.record_cap,
               "Exchanges kept per client for the conformance report (the oldest are dropped); "
               "default 2000");
  flags.String({"nonce-cap"}, &given.nonce_cap,
               "Outstanding nonces kept (issuing more forgets the oldest); default 100000");
  flags.String({"report-on-exit"}, &options.report_on_exit,
               "Write the JSON conformance report to this file when mockca stops");
  flags.Bool({"verbose", "v"}, &options.verbose, "Log every request");
  flags.Bool({"version"}, &version, "Print the version and exit");
  *usage = flags.Usage() +
           "Environment (MOCKCA_<NAME> wins over PEBBLE_<NAME>): VA_NOSLEEP, VA_SLEEPTIME,\n"
           "VA_ALWAYS_VALID, WFE_NONCEREJECT, AUTHZREUSE, WFE_ORDERS_PER_PAGE, ALTERNATE_ROOTS,\n"
           "CHAIN_LENGTH. Unset, they mean: no sleep, no nonce rejection, always reuse valid\n"
           "authorizations, 3 orders per page, no alternate roots, one intermediate.\n"
           "MOCKCA_SEED and MOCKCA_FAULTS stand in for --seed and --faults.\n";
  for (std::string* value :
       {&given.acme, &given.management, &given.tls_cert, &given.tls_key, &given.http_port,
        &given.tls_port, &given.key_algorithm, &given.seed, &given.mockdns_dns,
        &given.mockdns_management, &given.mockdns_http01, &given.mockdns_tls_alpn01, &given.config,
        &given.faults, &given.record_cap, &given.nonce_cap}) {
    *value = kUnset;
  }

  if (auto parsed = flags.Parse(argc, argv); !parsed) {
    if (parsed.error() == "help requested") {
      return OptionsError{OptionsError::Kind::kHelp, ""};
    }
    return Usage(parsed.error());
  }
  if (version) {
    return OptionsError{OptionsError::Kind::kVersion, VersionLine()};
  }
  options.record = !no_record;
  for (auto [text, flag, out] : {std::tuple(&given.record_cap, "record-cap", &options.record_cap),
                                 std::tuple(&given.nonce_cap, "nonce-cap", &options.nonce_cap)}) {
    if (*text != kUnset) {
      auto cap = ParseNumber<std::size_t>(*text, flag);
      if (!cap || cap.value() == 0) {
        return Usage(std::string("--") + flag + ": \"" + *text + "\" is not a number >= 1");
      }
      *out = cap.value();
    }
  }

  FlagValues values = defaults;
  if (given.config != kUnset) {
    if (given.config.empty()) {
      return Usage("-config: a file name is needed");
    }
    auto config = LoadPebbleConfig(given.config, warnings);
    if (!config) {
      return Config("-config " + config.error());
    }
    ApplyConfig(std::move(config).value(), values, options, warnings);
  }
  // Explicit flags last.
  using Override = std::pair<const std::string*, std::string*>;
  for (auto [from, to] :
       std::initializer_list<Override>{{&given.acme, &values.acme},
                                       {&given.management, &values.management},
                                       {&given.tls_cert, &values.tls_cert},
                                       {&given.tls_key, &values.tls_key},
                                       {&given.http_port, &values.http_port},
                                       {&given.tls_port, &values.tls_port},
                                       {&given.key_algorithm, &values.key_algorithm},
                                       {&given.seed, &values.seed},
                                       {&given.mockdns_dns, &values.mockdns_dns},
                                       {&given.mockdns_management, &values.mockdns_management},
                                       {&given.mockdns_http01, &values.mockdns_http01},
                                       {&given.mockdns_tls_alpn01, &values.mockdns_tls_alpn01}}) {
    if (*from != kUnset) {
      *to = *from;
    }
  }
  ApplyEnvironment(ReadEnvironment(getenv, warnings), options);
  if (given.seed == kUnset) {
    if (auto seed = getenv("MOCKCA_SEED")) {
      values.seed = *seed;
    }
  }
  std::string faults_source = given.faults == kUnset ? "" : given.faults;
  if (given.faults == kUnset) {
    faults_source = getenv("MOCKCA_FAULTS").value_or("");
  }
  if (!faults_source.empty()) {
    auto rules = faults::LoadFaultRules(faults_source);
    if (!rules) {
      return Config(std::string(given.faults == kUnset ? "MOCKCA_FAULTS" : "--faults") + ": " +
                    rules.error());
    }
    options.fault_rules = std::move(rules).value();
  }

  // Values that may come from the config are errors of kind kConfig when they did.
  const bool from_config = given.config != kUnset;
  const bool management_from_config = from_config && given.management == kUnset;
  auto bad = [from_config](std::string message) {
    return from_config ? Config(std::move(message)) : Usage(std::move(message));
  };
  struct {
    const std::string* text;
    std::vector<common::ListenAddress>* out;
    std::string flag;
    bool management;
  } lists[] = {
      {&values.acme, &options.acme, from_config ? "listen (pebble.listenAddress)" : "listen",
       false},
      {&values.management, &options.management,
       from_config ? "management (pebble.managementListenAddress)" : "management", true},
      {&values.mockdns_dns, &options.mockdns_dns, "mockdns-dns", false},
      {&values.mockdns_management, &options.mockdns_management, "mockdns-management", true},
      {&values.mockdns_http01, &options.mockdns_http01, "mockdns-http01", false},
      {&values.mockdns_tls_alpn01, &options.mockdns_tls_alpn01, "mockdns-tlsalpn01", false}};
  for (const auto& list : lists) {
    auto parsed =
        common::ParseListenList(*list.text, listen_all && (!list.management || expose_management));
    if (!parsed) {
      return bad("--" + list.flag + ": " + parsed.error());
    }
    *list.out = std::move(parsed).value();
    if (!list.management || expose_management) {
      continue;
    }
    if (list.out == &options.management && management_from_config) {
      // Pebble's example configs say 0.0.0.0:15000; a drop-in keeps working on loopback.
      KeepOnLoopback(*list.out, "pebble.managementListenAddress", warnings);
    } else if (std::string exposed = common::ManagementExposureError(
                   *list.out, false, "--" + list.flag, "--expose-management");
               !exposed.empty()) {
      return bad(std::move(exposed));
    }
  }
  if (options.acme.empty()) {
    return bad(std::string("--listen") + (from_config ? " (pebble.listenAddress)" : "") +
               ": at least one address is needed");
  }
  if (!options.dns_server.empty()) {
    // Pebble dials -dnsserver with Go's resolver, so lego's `-dnsserver localhost:8053` works;
    // the VA's c-ares channel needs an address, so localhost becomes 127.0.0.1.
    auto server = common::SplitHostPort(options.dns_server);
    if (server && common::AsciiLower(server->host) == "localhost") {
      server->host = "127.0.0.1";
    }
    if (!server || !common::IsIpLiteral(server->host)) {
      return Usage("--dnsserver: \"" + options.dns_server +
                   "\" is not an IP address (or localhost) and port");
    }
    options.dns_server = server->ToString();
  }
  if (options.dns_server.empty() && options.mockdns_dns.empty()) {
    return Usage(
        "--mockdns-dns: the embedded mockdns needs a DNS address unless --dns-server is given");
  }
  options.tls_cert = values.tls_cert;
  options.tls_key = values.tls_key;
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return bad(std::string("--tls-cert and --tls-key go together") +
               (from_config ? " (pebble.certificate and pebble.privateKey)" : ""));
  }
  for (auto [text, out, flag] : {std::tuple{&values.http_port, &options.http_port, "http-port"},
                                 std::tuple{&values.tls_port, &options.tls_port, "tls-port"}}) {
    auto port = ParseNumber<std::uint16_t>(*text, flag);
    if (!port) {
      return port.error();
    }
    *out = port.value();
  }
  if (values.key_algorithm == "ecdsa") {
    options.key_algorithm = ca::KeyAlgorithm::kEcdsaP256;
  } else if (values.key_algorithm == "rsa") {
    options.key_algorithm = ca::KeyAlgorithm::kRsa2048;
  } else {
    return Usage("--key-algorithm: \"" + values.key_algorithm + "\" is not ecdsa or rsa");
  }
  if (!values.seed.empty()) {
    auto value = ParseNumber<std::uint64_t>(values.seed, "seed");
    if (!value) {
      return value.error();
    }
    options.seed = value.value();
  }
  return options;
}

}  // namespace mockca::server
