#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/listen_address.hpp"
#include "common/result.hpp"
#include "faults/fault_rule.hpp"
#include "mockca/ca/hierarchy.hpp"
#include "mockca/server/environment.hpp"
#include "mockca/server/pebble_config.hpp"
#include "mockca/wfe/nonce_service.hpp"

namespace mockca::server {

// Everything mockca is told at start: built-in defaults, then Pebble's JSON config (-config), then
// explicit flags; the PEBBLE_*/MOCKCA_* variables fill the knobs no flag has (environment.hpp).
struct MockCaOptions {
  std::vector<common::ListenAddress> acme;        // the ACME server (HTTPS), default :14000
  std::vector<common::ListenAddress> management;  // roots and intermediates (HTTPS), default :15000
  std::string tls_cert;  // PEM chain for both listeners; empty: the built-in localhost certificate
  std::string tls_key;
  // The VA's resolver. Empty: mockca starts an embedded mockdns and resolves through it.
  std::string dns_server;
  std::uint16_t http_port = 80;  // where http-01 validation connects (Pebble's httpPort)
  std::uint16_t tls_port = 443;  // where tls-alpn-01 validation connects (Pebble's tlsPort)
  // ecdsa without a config; with -config and no keyAlgorithm, rsa (Pebble's default).
  ca::KeyAlgorithm key_algorithm = ca::KeyAlgorithm::kEcdsaP256;
  // The embedded mockdns's listeners (ignored with dns_server): pebble-challtestsrv's defaults.
  std::vector<common::ListenAddress> mockdns_dns;
  std::vector<common::ListenAddress> mockdns_management;
  std::vector<common::ListenAddress> mockdns_http01;
  std::vector<common::ListenAddress> mockdns_tls_alpn01;
  // --seed, else MOCKCA_SEED; absent: main draws one from the OS and prints it.
  std::optional<std::uint64_t> seed;
  bool verbose = false;
  // Fault rules in force from the start (--faults FILE, else MOCKCA_FAULTS = a file or inline JSON;
  // README "Faults"); more are added at run time through the management API's /faults.
  std::vector<faults::FaultRule> fault_rules;
  // The conformance report (README "Conformance report"): --no-record turns recording off;
  // --record-cap keeps the newest N exchanges per client; --report-on-exit FILE writes the JSON
  // report when mockca stops.
  bool record = true;
  std::size_t record_cap = 2000;
  std::string report_on_exit;
  // --nonce-cap: outstanding Replay-Nonce values kept; issuing more forgets the oldest (README
  // "Limits").
  std::size_t nonce_cap = wfe::NonceService::kDefaultCapacity;

  // -strict (Pebble): a JWS payload with a non-empty "resource" and a challenge POST whose body is
  // not exactly {} are malformed.
  bool strict = false;
  // Config externalAccountBindingRequired / externalAccountMACKeys (kid → decoded key bytes).
  // Kept for the EAB engine; the flag is shown in the directory meta.
  bool eab_required = false;
  std::map<std::string, std::string> eab_mac_keys;
  // Directory meta.caaIdentities: empty (omitted) without a config; with -config and no
  // caaIdentities key, Pebble's ["pebble.letsencrypt.org"].
  std::vector<std::string> caa_identities;
  // newOrder refuses these names and every name under them (rejectedIdentifier); lowercased.
  std::vector<std::string> domain_blocklist;
  std::string ari_explanation_url;  // ARI's explanationURL (RFC 9773 §4.2); empty: none
  std::string ocsp_responder_url;   // leaves' AIA OCSP URI (Pebble's); empty: none
  std::map<std::string, ProfileConfig> profiles;  // offered in meta.profiles; empty: "default"
  // Retry-After on a processing order / an authz with a processing challenge; 0 = none. mockca's
  // default is 1 s; a config's retryAfter replaces both (Pebble: absent = 0).
  std::chrono::seconds order_retry_after{1};
  std::chrono::seconds authz_retry_after{1};
  // From the environment (see EnvironmentSettings for each rule and default).
  unsigned va_sleep_seconds = 0;
  bool va_always_valid = false;
  unsigned nonce_reject_percent = 0;
  unsigned authz_reuse_percent = 100;
  std::size_t orders_per_page = 3;
  unsigned alternate_roots = 0;  // extra chains, each with its own root (PEBBLE_ALTERNATE_ROOTS)
  unsigned chain_length = 1;     // intermediates per chain, at least 1 (PEBBLE_CHAIN_LENGTH)
};

// Why ParseMockCaFlags stopped.
struct OptionsError {
  enum class Kind {
    kHelp,     // -h: print the usage on stdout, exit 0
    kVersion,  // -version: print message on stdout, exit 0
    kUsage,    // a bad flag or a positional argument: message and usage on stderr, exit 2
    kConfig,   // the -config file or a value derived from it: message on stderr, exit 1
  };
  Kind kind;
  std::string message;
};

// What mockca says for -version.
std::string VersionLine();

// Parses mockca's flags (see --help; Pebble's -dnsserver is an alias of --dns-server, -config,
// -strict and -version are Pebble's), reads the -config file and the environment through getenv.
// Non-fatal oddities (unknown config keys, ignored keys, ignored variable values) are appended to
// *warnings. usage receives the usage text either way.
common::Result<MockCaOptions, OptionsError> ParseMockCaFlags(int argc, const char* const* argv,
                                                             const EnvGetter& getenv,
                                                             std::string* usage,
                                                             std::vector<std::string>* warnings);

}  // namespace mockca::server
