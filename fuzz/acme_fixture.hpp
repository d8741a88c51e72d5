#pragma once

// mockca's whole ACME WFE in memory for the acme_router fuzz target: the real Router with every
// route mockca serves (directory, accounts with EAB, orders, authorizations, challenges, finalize,
// certificates, revocation, renewalInfo) over a MemoryStore, a CertificateAuthority and a fake
// clock. Nothing runs on another thread: validation jobs and issuance tasks are queued and run on
// the calling thread right after the request that made them (Dispatch), validation succeeding or
// failing as the input says.
//
// Setup registers an account, validates and finalizes an order (so a certificate exists), and
// keeps a ready order, a pending authorization with its http-01 challenge, the certificate's DER
// and its ARI certID, for signed inputs to aim at.

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "common/logger.hpp"
#include "common/rng.hpp"
#include "faults/fault_engine.hpp"
#include "fuzz/acme_signer.hpp"
#include "http/message.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/va/validation_service.hpp"
#include "mockca/wfe/eab_keys.hpp"
#include "mockca/wfe/jws_auth.hpp"
#include "mockca/wfe/nonce_service.hpp"
#include "mockca/wfe/router.hpp"

namespace fuzz {

// The Host of every request: every URL the WFE hands out starts with kBase.
inline constexpr char kHost[] = "ca.test:14000";
inline constexpr char kBase[] = "https://ca.test:14000";
// The External Account Binding key the fixture's EabKeys hold.
inline constexpr char kEabKid[] = "fuzz-kid";
inline constexpr char kEabMacKey[] = "fuzz-mac-key-0123456789abcdef";

// Work the WFE hands off (validation jobs, issuance tasks), run later on the calling thread.
class DeferredWork final : public mockca::va::ValidationService {
 public:
  void Submit(mockca::va::ValidationJob job,
              std::function<void(mockca::acme::Status)> done) override;
  void Post(std::function<void()> task) { tasks_.push_back(std::move(task)); }
  // Runs everything queued (and anything that queues), in order; validations succeed when
  // validations_succeed, else fail with an incorrectResponse problem.
  void RunAll();
  bool validations_succeed = true;

 private:
  std::deque<std::function<void()>> tasks_;
};

class AcmeFixture {
 public:
  // Builds the WFE and runs the setup flow; aborts if setup fails (a broken build, not a finding).
  AcmeFixture();
  AcmeFixture(const AcmeFixture&) = delete;
  AcmeFixture& operator=(const AcmeFixture&) = delete;

  // The router's response to request, after which the deferred work has run.
  http::Response Dispatch(const http::Request& request);
  // A POST of payload to url (which starts with kBase), signed by key with a fresh nonce: by kid
  // (the fixture's account) when by_kid, else with the jwk embedded.
  http::Response Post(const SigningKey& key, const std::string& url, std::string_view payload,
                      bool by_kid);
  // An ordinary request: method, target, the fixture's Host, HTTPS, optional JOSE body.
  static http::Request MakeRequest(std::string method, std::string target, std::string body = {});

  // What signed inputs aim at (absolute URLs unless said otherwise).
  const SigningKey& account_key() const { return *account_key_; }
  const SigningKey& next_key() const { return *next_key_; }
  const SigningKey& certificate_key() const { return certificate_key_; }
  const std::string& account_url() const { return account_url_; }
  const std::string& ready_order_url() const { return ready_order_url_; }
  const std::string& ready_finalize_url() const { return ready_finalize_url_; }
  const std::string& pending_authz_url() const { return pending_authz_url_; }
  const std::string& pending_challenge_url() const { return pending_challenge_url_; }
  const std::string& certificate_url() const { return certificate_url_; }
  const std::string& orders_url() const { return orders_url_; }
  const std::string& certificate_der_b64() const { return certificate_der_b64_; }
  const std::string& cert_id() const { return cert_id_; }                  // RFC 9773 certID text
  const std::string& certificate_pem() const { return certificate_pem_; }  // the issued chain
  // What mockca's management listener serves from (the ca_management target).
  mockca::wfe::EabKeys& eab_keys() { return eab_keys_; }
  const mockca::ca::CertificateAuthority& authority() const { return *authority_; }
  mockca::store::MemoryStore& store() { return store_; }
  DeferredWork& deferred() { return deferred_; }
  // What the router logged (an exception in a handler is logged at error level).
  std::string Log() const { return log_sink_.str(); }

  // After a successful keyChange: the account's key is now next_key, and the old key is next.
  void SwapAccountKeys() { std::swap(account_key_, next_key_); }
  // A new ready order (after a finalize consumed the last one).
  void RenewReadyOrder();
  // A new pending authorization and challenge (after one was answered or deactivated).
  void RenewPendingAuthz();

 private:
  // POST with the account key by kid; aborts unless the status is expected.
  nlohmann::json PostOk(const std::string& url, std::string_view payload, int expected,
                        std::string* location = nullptr);
  // newOrder for name: its URL, and its first authorization's URL.
  std::string NewOrder(const std::string& name, std::string* authz_url);
  void Setup();

  std::ostringstream log_sink_;
  common::Logger log_{log_sink_, "mockca", common::Logger::Level::kError};
  common::FakeClock clock_;
  common::Rng rng_{1};
  faults::FaultEngine faults_{1, clock_};
  mockca::store::MemoryStore store_{clock_, rng_};
  // Small: every response carries a nonce and the fixture is rebuilt often anyway.
  mockca::wfe::NonceService nonces_{rng_, 4096, 0, &clock_, &faults_};
  mockca::wfe::EabKeys eab_keys_;
  std::unique_ptr<mockca::ca::CertificateAuthority> authority_;
  DeferredWork deferred_;
  mockca::wfe::Router router_{nonces_, log_, &faults_, &clock_};
  mockca::wfe::JwsAuthenticator auth_;

  SigningKey first_key_ = SigningKey::FromPem(AccountKeyPem());
  SigningKey second_key_ = SigningKey::FromPem(RolloverKeyPem());
  SigningKey certificate_key_ = SigningKey::FromPem(CertificateKeyPem());
  const SigningKey* account_key_ = &first_key_;
  const SigningKey* next_key_ = &second_key_;
  unsigned pending_names_ = 0;

  std::string account_url_;
  std::string ready_order_url_;
  std::string ready_finalize_url_;
  std::string pending_authz_url_;
  std::string pending_challenge_url_;
  std::string certificate_url_;
  std::string orders_url_;
  std::string certificate_der_b64_;
  std::string cert_id_;
  std::string certificate_pem_;
};

}  // namespace fuzz
