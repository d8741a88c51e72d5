#include "mockca/server/mockca_server.hpp"

#include <algorithm>
#include <fstream>
#include <thread>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/io_context_pool.hpp"
#include "common/json.hpp"
#include "common/openssl_holders.hpp"
#include "common/worker_pool.hpp"
#include "faults/fault_api.hpp"
#include "faults/fault_engine.hpp"
#include "http/server.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/ca/renewal_facts.hpp"
#include "mockca/core/profile.hpp"
#include "mockca/report/recorder.hpp"
#include "mockca/report/report_json.hpp"
#include "mockca/report/report_routes.hpp"
#include "mockca/server/builtin_tls.hpp"
#include "mockca/server/eab_management.hpp"
#include "mockca/server/management_routes.hpp"
#include "mockca/server/tls_context.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/va/faulty_validation.hpp"
#include "mockca/va/observed_validation.hpp"
#include "mockca/va/validation_service.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/ari_handlers.hpp"
#include "mockca/wfe/challenge_handlers.hpp"
#include "mockca/wfe/directory_handlers.hpp"
#include "mockca/wfe/eab_keys.hpp"
#include "mockca/wfe/finalize_handlers.hpp"
#include "mockca/wfe/jws_auth.hpp"
#include "mockca/wfe/nonce_service.hpp"
#include "mockca/wfe/order_handlers.hpp"
#include "mockca/wfe/revocation_handlers.hpp"
#include "mockca/wfe/router.hpp"

namespace mockca::server {
namespace {

namespace ssl = boost::asio::ssl;
using common::ListenAddress;

constexpr std::size_t kIssuanceThreads = 2;
// The threads serving mockca's HTTP connections (ACME and management), each with its own
// io_context: half the cores (a test CA shares its machine with the clients under test), at least
// one, at most eight. On two cores one pool thread took 15 % less CPU per flow than two (2.18
// against 2.58 ms) and 23 % less than the shared io_context (bench/README.md, "Optimisations").
std::size_t ConnectionThreads() {
  return std::clamp<std::size_t>(std::thread::hardware_concurrency() / 2, 1, 8);
}
// Bounded growth: every minute, orders and authorizations an hour past their expiry are dropped.
constexpr std::chrono::seconds kEvictionPeriod{60};
constexpr std::chrono::seconds kEvictionGrace{3600};

// The profiles served (draft-ietf-acme-profiles). Without any (no config, or a config without
// `profiles`), Pebble's own default: {"default": "The default profile", 90 days}. newOrder without
// a profile gets "default" when offered, else the first name (core::DefaultProfileName).
core::ProfileTable ServedProfiles(const std::map<std::string, ProfileConfig>& configured) {
  core::ProfileTable served;
  for (const auto& [name, config] : configured) {
    served[name] = core::Profile{config.description, std::chrono::seconds(config.validity_period),
                                 config.promote_common_name};
  }
  if (served.empty()) {
    served["default"] = core::Profile{"The default profile", std::chrono::days(90), false};
  }
  return served;
}

common::Result<std::string, std::string> ReadFile(const std::string& path) {
  common::BioPtr bio(BIO_new_file(path.c_str(), "rb"));
  if (!bio) {
    return common::MakeErr("cannot read " + path);
  }
  std::string text;
  char buffer[4096];
  int n = 0;
  while ((n = BIO_read(bio.get(), buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

common::Result<std::shared_ptr<ssl::context>, std::string> ServerTlsContext(
    const MockCaOptions& options) {
  if (options.tls_cert.empty()) {
    return TlsContextFromPem(BuiltinTlsCertificatePem(), BuiltinTlsKeyPem(), "built-in TLS");
  }
  auto cert = ReadFile(options.tls_cert);
  if (!cert) {
    return common::MakeErr("--tls-cert: " + cert.error());
  }
  auto key = ReadFile(options.tls_key);
  if (!key) {
    return common::MakeErr("--tls-key: " + key.error());
  }
  return TlsContextFromPem(cert.value(), key.value(), "--tls-cert/--tls-key");
}

nlohmann::json ToJson(const std::vector<ListenAddress>& addresses) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& address : addresses) {
    list.push_back(address.ToString());
  }
  return list;
}

// The host a client should use for a bound address: the address itself, or localhost for a
// wildcard bind.
std::string UrlHost(const ListenAddress& address) {
  if (address.host == "::" || address.host == "0.0.0.0") {
    return "localhost";
  }
  return address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host;
}

// One line per knob that differs from mockca's quiet defaults, as Pebble logs its chaos settings.
void LogChaosSettings(const MockCaOptions& options, common::Logger& log) {
  if (options.strict) {
    log.Info("strict mode: JWS \"resource\" fields and non-{} challenge bodies are refused");
  }
  if (options.va_sleep_seconds > 0) {
    log.Info("VA sleeps 0.." + std::to_string(options.va_sleep_seconds - 1) +
             " s before each validation");
  }
  if (options.va_always_valid) {
    log.Info("VA: every challenge is valid without a check (VA_ALWAYS_VALID)");
  }
  if (options.nonce_reject_percent > 0) {
    log.Info("configured to reject " + std::to_string(options.nonce_reject_percent) +
             "% of good nonces");
  }
  if (options.authz_reuse_percent < 100) {
    log.Info("configured to reuse valid authorizations " +
             std::to_string(options.authz_reuse_percent) + "% of the time");
  }
  if (!options.domain_blocklist.empty()) {
    log.Info("blocking " + std::to_string(options.domain_blocklist.size()) + " domain(s)");
  }
}

report::ProbeRecord ToProbeRecord(const va::ValidationAttempt& attempt, std::uint16_t http_port,
                                  std::uint16_t tls_port) {
  report::ProbeRecord probe{attempt.started,
                            attempt.duration,
                            attempt.job.challenge_type,
                            attempt.job.identifier.value,
                            attempt.job.token,
                            va::ProbeTarget(attempt.job, http_port, tls_port),
                            attempt.result.ok(),
                            {},
                            {}};
  if (!attempt.result) {
    probe.problem_type = acme::TypeUrn(attempt.result.error().type);
    probe.detail = attempt.result.error().detail;
  }
  return probe;
}

}  // namespace

// Declaration order is destruction order reversed: the listeners go first, then the worker pools
// (which finish their jobs while the store and the CA still exist), then the rest.
struct MockCa::Parts {
  Parts(boost::asio::io_context& ioc, const MockCaOptions& options, common::Rng& rng,
        const common::Clock& clock, common::Logger& log)
      : eviction_timer(ioc),
        recorder(report::RecorderLimits{options.record, options.record_cap}),
        faults(rng.seed(), clock, [this](const faults::Decision& d) { RecordFaultEvent(d); }),
        store(clock, rng),
        nonces(rng, options.nonce_cap, options.nonce_reject_percent, &clock, &faults),
        router(nonces, log, &faults, &clock, &recorder),
        auth(store, nonces, wfe::AccountUrl, wfe::AccountIdFromUrl, options.strict) {}

  // Evicts expired objects every kEvictionPeriod until cancelled.
  void ScheduleEviction(const common::Clock& clock) {
    eviction_timer.expires_after(kEvictionPeriod);
    eviction_timer.async_wait([this, &clock](boost::system::error_code error) {
      if (!error) {
        store.EvictExpired(clock.Now(), kEvictionGrace);
        ScheduleEviction(clock);
      }
    });
  }

  // A fault that fired below the router goes into its account's record; request and response
  // faults are already on the exchange the router records.
  void RecordFaultEvent(const faults::Decision& decision) {
    if (decision.stage != faults::Stage::kRequest && decision.stage != faults::Stage::kResponse) {
      recorder.RecordFault(decision.account,
                           report::FaultEvent{decision.time, decision.rule_id, decision.fault,
                                              decision.where, decision.subject});
    }
  }

  boost::asio::steady_timer eviction_timer;
  // Every ACME exchange, VA probe and fault, per client, for the conformance report.
  report::Recorder recorder;
  // Shared with the embedded mockdns: rules posted to either management API apply to both.
  faults::FaultEngine faults;
  std::unique_ptr<mockdns::server::MockDns> mockdns;
  wfe::EabKeys eab_keys;
  store::MemoryStore store;
  wfe::NonceService nonces;
  wfe::Router router;
  wfe::JwsAuthenticator auth;
  std::unique_ptr<ca::CertificateAuthority> authority;
  std::unique_ptr<va::Validator> validator;
  std::unique_ptr<va::FaultInjectingValidator> faulty_validator;  // validator + failValidation
  std::unique_ptr<va::ObservedValidator> observed_validator;      // + the recorder's VA probe log
  std::unique_ptr<common::WorkerPool> issuance;
  // The listeners' connections run here; stopped after the listeners, before everything above.
  std::unique_ptr<common::IoContextPool> connections;
  std::vector<std::unique_ptr<http::Server>> servers;
};

MockCa::MockCa(boost::asio::io_context& ioc, MockCaOptions options, common::Rng& rng,
               const common::Clock& clock, common::Logger& log)
    : ioc_(ioc), options_(std::move(options)), rng_(rng), clock_(clock), log_(log) {}

MockCa::~MockCa() {
  Stop();
}

common::Result<BoundMockCa, std::string> MockCa::Start() {
  auto parts = std::make_unique<Parts>(ioc_, options_, rng_, clock_, log_);
  LogChaosSettings(options_, log_);
  for (const auto& rule : options_.fault_rules) {
    if (auto added = parts->faults.Add(rule); !added) {
      return common::MakeErr("fault rules: " + added.error());
    }
  }
  if (!options_.fault_rules.empty()) {
    log_.Info(std::to_string(options_.fault_rules.size()) + " fault rule(s) in force");
  }
  BoundMockCa bound;

  bound.dns_server = options_.dns_server;
  if (options_.dns_server.empty()) {
    mockdns::server::MockDnsOptions dns_options;
    dns_options.dns = options_.mockdns_dns;
    dns_options.management = options_.mockdns_management;
    dns_options.http01 = options_.mockdns_http01;
    dns_options.tls_alpn01 = options_.mockdns_tls_alpn01;
    // Names answer 127.0.0.1 only, so the VA never tries an IPv6 address nobody listens on.
    dns_options.default_ipv6 = "";
    parts->mockdns = std::make_unique<mockdns::server::MockDns>(ioc_, std::move(dns_options), rng_,
                                                                log_, &parts->faults);
    auto dns_bound = parts->mockdns->Start();
    if (!dns_bound) {
      return common::MakeErr("embedded mockdns: " + dns_bound.error());
    }
    bound.dns_server = dns_bound.value().dns.front().ToString();
    bound.mockdns = std::move(dns_bound).value();
  }

  // PEBBLE_CHAIN_LENGTH=0 panics Pebble; the environment reader already maps it to 1.
  auto authority = ca::CertificateAuthority::Create(options_.key_algorithm, rng_, clock_.Now(),
                                                    options_.alternate_roots,
                                                    std::max(1u, options_.chain_length));
  if (!authority) {
    return common::MakeErr("CA hierarchy: " + authority.error());
  }
  parts->authority = std::move(authority).value();

  va::ValidatorOptions va_options;
  va_options.dns_server = bound.dns_server;
  va_options.http01.port = options_.http_port;
  va_options.tls_alpn_port = options_.tls_port;
  va_options.sleep_seconds = options_.va_sleep_seconds;
  va_options.rng = &rng_;
  va_options.always_valid = options_.va_always_valid;
  parts->validator = std::make_unique<va::Validator>(std::move(va_options));
  parts->faulty_validator =
      std::make_unique<va::FaultInjectingValidator>(*parts->validator, &parts->faults);
  parts->observed_validator = std::make_unique<va::ObservedValidator>(
      *parts->faulty_validator, clock_,
      [recorder = &parts->recorder, http_port = options_.http_port,
       tls_port = options_.tls_port](const va::ValidationAttempt& attempt) {
        recorder->RecordProbe(attempt.job.account_url, ToProbeRecord(attempt, http_port, tls_port));
      });
  parts->issuance = std::make_unique<common::WorkerPool>(kIssuanceThreads);
  parts->connections = std::make_unique<common::IoContextPool>(ConnectionThreads());

  Parts& p = *parts;
  wfe::DirectoryMeta meta;
  meta.caa_identities = options_.caa_identities;
  meta.external_account_required = options_.eab_required;
  const core::ProfileTable profiles = ServedProfiles(options_.profiles);
  for (const auto& [name, profile] : profiles) {
    meta.profiles[name] = profile.description;  // S-PROF-01, S-DIR-07
  }
  wfe::AddDirectoryRoutes(p.router, std::move(meta), p.nonces);
  for (const auto& [kid, key] : options_.eab_mac_keys) {
    if (auto added = p.eab_keys.Add(kid, key); !added) {
      return common::MakeErr("externalAccountMACKeys: " + added.error());
    }
  }
  wfe::AccountPolicy account_policy;
  account_policy.eab_required = options_.eab_required;
  account_policy.eab_keys = &p.eab_keys;  // a binding sent is verified even when not required
  wfe::AddAccountRoutes(p.router, p.store, p.auth, std::move(account_policy));
  wfe::OrderPolicy order_policy;
  order_policy.orders_per_page = options_.orders_per_page;
  order_policy.order_retry_after = options_.order_retry_after;
  order_policy.authz_retry_after = options_.authz_retry_after;
  order_policy.authz_reuse_percent = options_.authz_reuse_percent;
  order_policy.rng = &rng_;
  order_policy.domain_blocklist = options_.domain_blocklist;
  order_policy.profiles = profiles;
  order_policy.fault_engine = &p.faults;
  order_policy.ari_issuer_key_ids = ca::IssuerKeyIds(*p.authority);  // RFC 9773 §5
  wfe::AddOrderRoutes(p.router, p.store, p.auth, clock_, std::move(order_policy));
  wfe::ChallengePolicy challenge_policy;
  challenge_policy.strict = options_.strict;
  challenge_policy.fault_engine = &p.faults;
  wfe::AddChallengeRoutes(p.router, p.store, p.auth, *p.observed_validator, clock_,
                          challenge_policy);
  wfe::FinalizePolicy finalize_policy;
  finalize_policy.order_retry_after = options_.order_retry_after;
  finalize_policy.profiles = profiles;
  finalize_policy.ocsp_responder_url = options_.ocsp_responder_url;
  finalize_policy.fault_engine = &p.faults;
  wfe::AddFinalizeRoutes(
      p.router, p.store, p.auth, *p.authority,
      [pool = p.issuance.get()](std::function<void()> task) { pool->Post(std::move(task)); },
      clock_, finalize_policy);
  wfe::AddRevocationRoutes(p.router, p.store, p.auth, clock_);
  wfe::RenewalInfoPolicy renewal_info_policy;
  renewal_info_policy.explanation_url = options_.ari_explanation_url;
  wfe::AddRenewalInfoRoutes(p.router, p.store, *p.authority, clock_,
                            std::move(renewal_info_policy));  // RFC 9773 (S-ARI-01..04)

  auto tls = ServerTlsContext(options_);
  if (!tls) {
    return tls.error();
  }
  // S-ERR-01: requests refused by the HTTP layer (limits, unparseable HTTP) still get a problem
  // document and a nonce.
  auto refusal = [&p](int status, const std::string& detail) {
    // 500: a handler failed; any other status (4xx, and 501 for a transfer coding) is the
    // request's.
    acme::Problem problem = status == 500 ? acme::ServerInternal(detail) : acme::Malformed(detail);
    problem.status = status;
    return wfe::RenderProblem(problem).With("Replay-Nonce", p.nonces.Issue());
  };
  auto listen = [&](http::Handler handler, http::RefusalResponder refuse,
                    const std::vector<ListenAddress>& addresses,
                    std::vector<ListenAddress>& out) -> common::Status<std::string> {
    p.servers.push_back(std::make_unique<http::Server>(ioc_, std::move(handler), tls.value(),
                                                       http::ServerLimits{}, log_,
                                                       std::move(refuse), p.connections.get()));
    for (const auto& address : addresses) {
      auto result = p.servers.back()->Listen(address);
      if (!result) {
        return result.error();
      }
      out.push_back(result.value());
    }
    return {};
  };
  if (auto s = listen([&p](const http::Request& r) { return p.router.Dispatch(r); }, refusal,
                      options_.acme, bound.acme);
      !s) {
    return common::MakeErr("--listen: " + s.error());
  }
  if (!options_.management.empty()) {
    const report::ReportSources report_sources = ReportSourcesOf(p);
    auto management = [&p, report_sources](const http::Request& r) {
      if (faults::IsFaultsPath(r.Path())) {
        return faults::HandleFaultsRequest(p.faults, r);
      }
      if (report::IsReportPath(r.Path())) {
        return report::HandleReportRequest(r, report_sources);
      }
      return r.Path() == kAddEabKeyPath
                 ? ServeEabManagement(r, p.eab_keys)
                 : ServeManagement(r, ManagementSources{*p.authority, p.store});
    };
    if (auto s = listen(management, nullptr, options_.management, bound.management); !s) {
      return common::MakeErr("--management: " + s.error());
    }
  }
  p.ScheduleEviction(clock_);
  parts_ = std::move(parts);
  return bound;
}

report::ReportSources MockCa::ReportSourcesOf(Parts& p) const {
  report::ReportSources sources;
  sources.snapshot = [&p] { return p.recorder.Snapshot(); };
  sources.reset = [&p] { p.recorder.Reset(); };
  sources.active_faults = [&p] { return p.faults.RulesJson(); };
  sources.clock = &clock_;
  return sources;
}

void MockCa::WriteReportOnExit() {
  if (options_.report_on_exit.empty() || report_written_) {
    return;
  }
  report_written_ = true;
  std::ofstream file(options_.report_on_exit, std::ios::binary | std::ios::trunc);
  file << report::ReportFileText(parts_->recorder.Snapshot(), parts_->faults.RulesJson(),
                                 clock_.Now());
  if (!file.flush()) {
    log_.Error("--report-on-exit " + options_.report_on_exit + ": cannot be written");
  } else {
    log_.Info("conformance report written to " + options_.report_on_exit);
  }
}

void MockCa::Drain(std::chrono::milliseconds timeout) {
  if (!parts_) {
    return;
  }
  for (auto& server : parts_->servers) {
    server->Stop();  // no new ACME or management connections
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&deadline] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()));
  };
  // Work not started yet is dropped: nobody can see its result once mockca exits.
  const bool validations = parts_->validator->DropPendingAndWait(left());
  parts_->issuance->DropPending();
  const bool issuances = parts_->issuance->WaitIdle(left());
  if (!validations || !issuances) {
    log_.Warn("stopping with validations or issuances still running after " +
              std::to_string(timeout.count()) + " ms");
  }
}

void MockCa::Stop() {
  if (!parts_) {
    return;
  }
  WriteReportOnExit();
  parts_->eviction_timer.cancel();
  for (auto& server : parts_->servers) {
    server->Stop();
  }
  if (parts_->mockdns) {
    parts_->mockdns->Stop();
  }
}

std::string ReadyLine(const BoundMockCa& bound, std::uint64_t seed) {
  nlohmann::json line = {{"ready", "mockca"},
                         {"seed", seed},
                         {"directory", "https://" + UrlHost(bound.acme.front()) + ":" +
                                           std::to_string(bound.acme.front().port) + "/dir"},
                         {"listen", ToJson(bound.acme)},
                         {"management", ToJson(bound.management)},
                         {"dnsserver", bound.dns_server}};
  if (bound.mockdns) {
    line["mockdns"] = {{"dnsserver", ToJson(bound.mockdns->dns)},
                       {"management", ToJson(bound.mockdns->management)},
                       {"http01", ToJson(bound.mockdns->http01)},
                       {"tlsalpn01", ToJson(bound.mockdns->tls_alpn01)}};
  }
  return line.dump();
}

}  // namespace mockca::server
