#include "fuzz/acme_fixture.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/openssl_holders.hpp"
#include "mockca/ca/renewal_facts.hpp"
#include "mockca/core/profile.hpp"
#include "mockca/jose/base64url.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/ari_cert_id.hpp"
#include "mockca/wfe/ari_handlers.hpp"
#include "mockca/wfe/challenge_handlers.hpp"
#include "mockca/wfe/directory_handlers.hpp"
#include "mockca/wfe/finalize_handlers.hpp"
#include "mockca/wfe/order_handlers.hpp"
#include "mockca/wfe/paths.hpp"
#include "mockca/wfe/revocation_handlers.hpp"

namespace fuzz {
namespace {

namespace wfe = mockca::wfe;
using mockca::jose::Base64UrlEncode;

// 2023-11-14T22:13:20Z, as the WFE tests.
constexpr common::Clock::TimePoint kStart{std::chrono::seconds(1'700'000'000)};

[[noreturn]] void SetupFailed(const std::string& what) {
  std::fprintf(stderr, "acme_router fixture setup failed: %s\n", what.c_str());
  std::abort();
}

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

mockca::core::ProfileTable Profiles() {
  mockca::core::ProfileTable profiles;
  profiles["default"] = mockca::core::Profile{"The default profile", std::chrono::days(90), false};
  profiles["shortlived"] = mockca::core::Profile{"Six days", std::chrono::days(6), true};
  return profiles;
}

// The DER of the first certificate of pem, and its certID (the AKI keyIdentifier and the serial's
// INTEGER content octets).
void ReadLeaf(const std::string& pem, std::string* der_b64, std::string* cert_id) {
  common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  common::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    SetupFailed("no certificate in " + pem);
  }
  unsigned char* der = nullptr;
  const int der_size = i2d_X509(cert.get(), &der);
  if (der_size <= 0) {
    SetupFailed("i2d_X509");
  }
  *der_b64 = Base64UrlEncode(std::string(reinterpret_cast<char*>(der), der_size));
  OPENSSL_free(der);
  const ASN1_OCTET_STRING* key_id = X509_get0_authority_key_id(cert.get());
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get());
  unsigned char* serial_der = nullptr;
  const int serial_size = i2d_ASN1_INTEGER(serial, &serial_der);
  if (key_id == nullptr || serial_size < 3 || serial_size > 127 + 2) {
    SetupFailed("certID of the leaf");
  }
  const std::string content(reinterpret_cast<char*>(serial_der) + 2, serial_size - 2);
  OPENSSL_free(serial_der);
  *cert_id = wfe::FormatCertId(
      wfe::CertId{std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(key_id)),
                              static_cast<std::size_t>(ASN1_STRING_length(key_id))),
                  content});
}

}  // namespace

void DeferredWork::Submit(mockca::va::ValidationJob,
                          std::function<void(mockca::acme::Status)> done) {
  tasks_.push_back([this, done = std::move(done)] {
    if (validations_succeed) {
      done(mockca::acme::Status{});
    } else {
      done(mockca::acme::MakeProblem(mockca::acme::ProblemType::kIncorrectResponse,
                                     "the fuzz input said so"));
    }
  });
}

void DeferredWork::RunAll() {
  while (!tasks_.empty()) {
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    task();
  }
}

AcmeFixture::AcmeFixture()
    : clock_(kStart),
      auth_(store_, nonces_, wfe::AccountUrl, wfe::AccountIdFromUrl, /*strict=*/false) {
  auto authority = mockca::ca::CertificateAuthority::Create(mockca::ca::KeyAlgorithm::kEcdsaP256,
                                                            rng_, clock_.Now(), 1, 1);
  if (!authority) {
    SetupFailed(authority.error());
  }
  authority_ = std::move(authority).value();
  if (!eab_keys_.Add(kEabKid, kEabMacKey)) {
    SetupFailed("EAB key");
  }

  wfe::DirectoryMeta meta;
  meta.caa_identities = {"ca.test"};
  for (const auto& [name, profile] : Profiles()) {
    meta.profiles[name] = profile.description;
  }
  wfe::AddDirectoryRoutes(router_, std::move(meta), nonces_);
  wfe::AccountPolicy account_policy;
  account_policy.eab_keys = &eab_keys_;
  wfe::AddAccountRoutes(router_, store_, auth_, std::move(account_policy));
  wfe::OrderPolicy order_policy;
  order_policy.authz_reuse_percent = 100;
  order_policy.rng = &rng_;
  order_policy.domain_blocklist = {"blocked.example"};
  order_policy.profiles = Profiles();
  order_policy.fault_engine = &faults_;
  order_policy.ari_issuer_key_ids = mockca::ca::IssuerKeyIds(*authority_);
  wfe::AddOrderRoutes(router_, store_, auth_, clock_, std::move(order_policy));
  wfe::ChallengePolicy challenge_policy;
  challenge_policy.fault_engine = &faults_;
  wfe::AddChallengeRoutes(router_, store_, auth_, deferred_, clock_, challenge_policy);
  wfe::FinalizePolicy finalize_policy;
  finalize_policy.profiles = Profiles();
  finalize_policy.ocsp_responder_url = "http://ocsp.ca.test/";
  finalize_policy.fault_engine = &faults_;
  wfe::AddFinalizeRoutes(
      router_, store_, auth_, *authority_,
      [this](std::function<void()> task) { deferred_.Post(std::move(task)); }, clock_,
      finalize_policy);
  wfe::AddRevocationRoutes(router_, store_, auth_, clock_);
  wfe::AddRenewalInfoRoutes(router_, store_, *authority_, clock_);
  Setup();
}

http::Request AcmeFixture::MakeRequest(std::string method, std::string target, std::string body) {
  http::Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.host = kHost;
  request.https = true;
  request.remote = "192.0.2.7:40000";
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/jose+json");
  }
  request.body = std::move(body);
  return request;
}

http::Response AcmeFixture::Dispatch(const http::Request& request) {
  http::Response response = router_.Dispatch(request);
  deferred_.RunAll();
  return response;
}

http::Response AcmeFixture::Post(const SigningKey& key, const std::string& url,
                                 std::string_view payload, bool by_kid) {
  const std::string body =
      SignFlattened(key, nonces_.Issue(), url, by_kid ? account_url_ : "", payload).dump();
  return Dispatch(MakeRequest("POST", url.substr(std::string_view(kBase).size()), body));
}

nlohmann::json AcmeFixture::PostOk(const std::string& url, std::string_view payload, int expected,
                                   std::string* location) {
  const http::Response response = Post(*account_key_, url, payload, true);
  if (response.status != expected) {
    SetupFailed(url + " -> " + std::to_string(response.status) + " " + response.body);
  }
  if (location != nullptr) {
    *location = HeaderOf(response, "Location");
  }
  if (HeaderOf(response, "Content-Type").starts_with("application/pem-certificate-chain")) {
    return response.body;
  }
  return response.body.empty() ? nlohmann::json() : nlohmann::json::parse(response.body);
}

std::string AcmeFixture::NewOrder(const std::string& name, std::string* authz_url) {
  const nlohmann::json payload = {{"identifiers", {{{"type", "dns"}, {"value", name}}}}};
  std::string location;
  const nlohmann::json order =
      PostOk(std::string(kBase) + wfe::paths::kNewOrder, payload.dump(), 201, &location);
  if (authz_url != nullptr) {
    *authz_url = order.at("authorizations").at(0).get<std::string>();
  }
  return location;
}

void AcmeFixture::RenewReadyOrder() {
  // The valid authorization of ready.fuzz.example is reused (authz_reuse_percent 100): ready.
  ready_order_url_ = NewOrder("ready.fuzz.example", nullptr);
  ready_finalize_url_ = std::string(kBase) + wfe::paths::kFinalize +
                        ready_order_url_.substr(ready_order_url_.rfind('/') + 1);
}

void AcmeFixture::RenewPendingAuthz() {
  NewOrder("p" + std::to_string(pending_names_++) + ".fuzz.example", &pending_authz_url_);
  const nlohmann::json authz = PostOk(pending_authz_url_, "", 200);
  pending_challenge_url_ = authz.at("challenges").at(0).at("url").get<std::string>();
}

void AcmeFixture::Setup() {
  const nlohmann::json account = {{"termsOfServiceAgreed", true},
                                  {"contact", {"mailto:fuzz@fuzz.example"}}};
  const http::Response created =
      Post(*account_key_, std::string(kBase) + wfe::paths::kNewAccount, account.dump(), false);
  if (created.status != 201) {
    SetupFailed("newAccount: " + created.body);
  }
  account_url_ = HeaderOf(created, "Location");
  orders_url_ = nlohmann::json::parse(created.body).at("orders").get<std::string>();

  // Validate ready.fuzz.example through its http-01 challenge, then finalize its order.
  std::string authz_url;
  const std::string order_url = NewOrder("ready.fuzz.example", &authz_url);
  const nlohmann::json authz = PostOk(authz_url, "", 200);
  PostOk(authz.at("challenges").at(0).at("url").get<std::string>(), "{}", 200);
  const nlohmann::json ready = PostOk(order_url, "", 200);
  const nlohmann::json csr = {{"csr", ReadyCsr()}};
  PostOk(ready.at("finalize").get<std::string>(), csr.dump(), 200);
  certificate_url_ = PostOk(order_url, "", 200).at("certificate").get<std::string>();
  certificate_pem_ = PostOk(certificate_url_, "", 200).get<std::string>();
  ReadLeaf(certificate_pem_, &certificate_der_b64_, &cert_id_);

  RenewReadyOrder();
  RenewPendingAuthz();
}

}  // namespace fuzz
