#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/rng.hpp"
#include "common/worker_pool.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/va/http01.hpp"
#include "mockdns/resolver/resolver.hpp"

namespace mockca::va {

// One challenge to validate: the authorization's identifier (never "*."-prefixed, S-AUTHZ-02), the
// challenge type ("http-01", "dns-01", "tls-alpn-01"), its token and the expected key
// authorization (KeyAuthorization(token, account thumbprint), S-CHAL-08).
struct ValidationJob {
  acme::Identifier identifier;
  std::string challenge_type;
  std::string token;
  std::string key_authorization;
  std::string account_url{};  // the challenge's account, for fault rules and logs ("" if unknown)
};

// The VA as the WFE sees it: validation runs off the caller's (I/O) thread (anchors: blocking work
// goes to a WorkerPool). Abstract so the WFE can be tested with a fake.
class ValidationService {
 public:
  virtual ~ValidationService() = default;
  // Runs job off the caller's thread and calls done(result) exactly once, on a worker thread (never
  // inline). done must not throw. Thread-safe; REQUIRES: the service is not being destroyed.
  virtual void Submit(ValidationJob job, std::function<void(acme::Status)> done) = 0;
};

struct ValidatorOptions {
  std::string dns_server;             // "127.0.0.1:8053": c-ares asks only this server
  Http01Options http01;               // http01.port = Pebble's httpPort (default 80)
  std::uint16_t tls_alpn_port = 443;  // Pebble's tlsPort
  std::chrono::milliseconds tls_timeout{10000};
  std::size_t threads = 4;  // REQUIRES: > 0
  // Pebble's PEBBLE_VA_SLEEPTIME: before each job, sleep a uniform 0..sleep_seconds-1 whole seconds
  // drawn from rng (on the worker thread); 0 = never. REQUIRES: rng set when sleep_seconds > 0.
  unsigned sleep_seconds = 0;
  common::Rng* rng = nullptr;  // must outlive the Validator
  // How to sleep; empty: std::this_thread::sleep_for. Tests inject a recorder.
  std::function<void(std::chrono::seconds)> sleep{};
  // Pebble's PEBBLE_VA_ALWAYS_VALID: every job of a known challenge type succeeds without any
  // lookup or connection (the sleep still applies).
  bool always_valid = false;
};

// The real VA: each job gets its own CaresResolver aimed at options.dns_server (c-ares channels are
// not thread-safe) and runs ValidateDns01, ValidateHttp01 or ValidateTlsAlpn01 on one of
// options.threads worker threads.
//
// Thread-safe. The destructor stops taking jobs, finishes the queued ones (calling their done) and
// joins the workers, so whatever a done callback touches (e.g. the store) must outlive the
// Validator: its owner destroys the Validator first.
class Validator final : public ValidationService {
 public:
  explicit Validator(ValidatorOptions options);
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  void Submit(ValidationJob job, std::function<void(acme::Status)> done) override;

  // Shutdown: drops the jobs not started yet (their done is never called) and waits, at most
  // timeout, for the running ones to end while the embedded mockdns still answers their probes.
  // Returns whether they ended.
  bool DropPendingAndWait(std::chrono::milliseconds timeout) {
    pool_.DropPending();
    return pool_.WaitIdle(timeout);
  }

  // The blocking step, public for tests: validates job now, on this thread (no sleep). Returns ok
  // for a known challenge type when options.always_valid, or:
  //  - serverInternal when the resolver cannot be created;
  //  - malformed for an unknown challenge type;
  //  - each validator's problems (dns, connection, tls, unauthorized, ...);
  //  - for tls-alpn-01 on a dns identifier, `dns` when the name has no A/AAAA record ("no A/AAAA
  //    records for <name>") or the lookup fails (the resolver's text). The first address found
  //    (A before AAAA) is dialled; an ip identifier is dialled directly.
  acme::Status ValidateNow(const ValidationJob& job) const;

 private:
  // The chaos sleep before a job (options.sleep_seconds).
  void SleepBeforeJob() const;

  // A resolver for one job (CaresResolver is not thread-safe, so jobs never share one).
  using ResolverPtr = std::unique_ptr<mockdns::resolver::CaresResolver>;
  common::Result<ResolverPtr, std::string> NewResolver() const;

  const ValidatorOptions options_;
  common::WorkerPool pool_;  // last: destroyed (drained and joined) first
};

}  // namespace mockca::va
