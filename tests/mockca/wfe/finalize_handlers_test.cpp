#include "mockca/wfe/finalize_handlers.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/pem.h>

#include "common/rfc3339.hpp"
#include "common/x509_builder.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/paths.hpp"
#include "tests/mockca/ca/csr_builder.hpp"
#include "tests/mockca/ca/test_pki.hpp"
#include "tests/support/jws_signer.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace finalize_handlers_test {

namespace {

using mockca::acme::Identifier;
using mockca::ca::testing::BuildCsrDer;
using mockca::ca::testing::CsrSpec;
using mockca::ca::testing::MakeKey;
using mockca::core::OrderStatus;
using nlohmann::json;
using support::Body;
using support::CheckProblem;
using support::HeaderOf;
using support::kWfeBase;
using support::TestKey;

std::string CsrB64(const CsrSpec& spec) {
  return support::Base64Url(BuildCsrDer(spec));
}

std::string CsrPayload(const CsrSpec& spec) {
  return json{{"csr", CsrB64(spec)}}.dump();
}

// Every PEM certificate of text, in order; fails the test on anything but strict RFC 7468 blocks.
std::vector<common::X509Ptr> ParseChain(const std::string& text) {
  std::vector<common::X509Ptr> chain;
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----\n";
  std::size_t at = 0;
  while (at < text.size()) {
    REQUIRE(text.compare(at, 28, "-----BEGIN CERTIFICATE-----\n") == 0);
    const std::size_t end = text.find(kEnd, at);
    REQUIRE(end != std::string::npos);
    const std::string block = text.substr(at, end + kEnd.size() - at);
    common::BioPtr bio(BIO_new_mem_buf(block.data(), static_cast<int>(block.size())));
    chain.emplace_back(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    REQUIRE(chain.back());
    at = end + kEnd.size();
  }
  return chain;
}

std::time_t TimeOf(const ASN1_TIME* time) {
  std::tm tm{};
  REQUIRE(ASN1_TIME_to_tm(time, &tm) == 1);
  return timegm(&tm);
}

// The WFE with the account and finalize routes and a CertificateAuthority. Issuance tasks are
// queued and run by RunTasks(), or run at once when inline.
struct Fixture : support::WfeFixture {
  std::unique_ptr<mockca::ca::CertificateAuthority> authority;
  std::mutex tasks_mu;
  std::vector<std::function<void()>> tasks;
  bool inline_tasks = false;
  std::string account_url;
  std::string account_id;

  // The clock starts at real time (whole seconds), so the issued leaves verify under OpenSSL's
  // current-time check.
  // alternate_roots: the CA's alternate chains (PEBBLE_ALTERNATE_ROOTS).
  explicit Fixture(mockca::wfe::FinalizePolicy policy = {}, std::size_t alternate_roots = 0)
      : WfeFixture(21, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())),
        authority(mockca::ca::CertificateAuthority::Create(mockca::ca::KeyAlgorithm::kEcdsaP256,
                                                           rng, std::chrono::system_clock::now(),
                                                           alternate_roots)
                      .value()) {
    mockca::wfe::AddAccountRoutes(router, store, auth);
    mockca::wfe::AddFinalizeRoutes(
        router, store, auth, *authority,
        [this](std::function<void()> task) {
          if (inline_tasks) {
            task();
            return;
          }
          std::lock_guard lock(tasks_mu);
          tasks.push_back(std::move(task));
        },
        clock, policy);
    account_url = Register(key);
    account_id = *mockca::wfe::AccountIdFromUrl(account_url);
  }

  std::size_t RunTasks() {
    std::vector<std::function<void()>> queued;
    {
      std::lock_guard lock(tasks_mu);
      queued.swap(tasks);
    }
    for (auto& task : queued) {
      task();
    }
    return queued.size();
  }

  // An order of account_id for identifiers ("*.x" as a wildcard authz for x); ready when
  // authorized.
  mockca::core::Order MakeOrder(const std::string& owner,
                                const std::vector<Identifier>& identifiers, bool authorized = true,
                                std::optional<std::string> not_before = std::nullopt,
                                std::optional<std::string> not_after = std::nullopt,
                                std::string profile = "") {
    mockca::core::Order order;
    order.account_id = owner;
    order.profile = std::move(profile);
    order.identifiers = identifiers;
    order.expires = clock.Now() + std::chrono::hours(24);
    order.not_before = std::move(not_before);
    order.not_after = std::move(not_after);
    std::vector<mockca::core::Authorization> authzs;
    for (const Identifier& identifier : identifiers) {
      mockca::core::Authorization authz;
      authz.account_id = owner;
      authz.identifier = identifier;
      if (identifier.value.starts_with("*.")) {
        authz.identifier.value = identifier.value.substr(2);
        authz.wildcard = true;
      }
      authz.expires = clock.Now() + std::chrono::hours(24);
      authz.challenges.emplace_back().type = "dns-01";
      authzs.push_back(std::move(authz));
    }
    auto stored = store.AddOrder(std::move(order), std::move(authzs));
    REQUIRE(stored.ok());
    if (authorized) {
      for (const std::string& authz_id : stored->authz_ids) {
        REQUIRE(store
                    .UpdateAuthorization(authz_id,
                                         [](mockca::core::Authorization& authz) {
                                           authz.status = mockca::core::AuthzStatus::kValid;
                                           return mockca::acme::Status();
                                         })
                    .ok());
      }
    }
    return stored.value();
  }
  mockca::core::Order ReadyOrder(const std::vector<Identifier>& identifiers) {
    auto order = MakeOrder(account_id, identifiers);
    REQUIRE(Status(order.id) == OrderStatus::kReady);
    return order;
  }
  OrderStatus Status(const std::string& order_id) const {
    return *store.OrderStatusOf(order_id, clock.Now());
  }
  http::Response Finalize(const std::string& order_id, const std::string& payload,
                          const TestKey* signer = nullptr, const std::string& kid = "") {
    return Post(signer ? *signer : key, kWfeBase + mockca::wfe::paths::kFinalize + order_id,
                payload, kid.empty() ? account_url : kid);
  }
  http::Response Download(const std::string& certificate_url, const std::string& payload = "") {
    return Post(key, certificate_url, payload, account_url);
  }
};

const std::vector<Identifier> kNames = {{"dns", "example.org"}, {"dns", "www.example.org"}};

CsrSpec SpecFor(EVP_PKEY* key, std::vector<std::string> dns_names,
                std::vector<std::string> ips = {}) {
  CsrSpec spec;
  spec.key = key;
  spec.dns_names = std::move(dns_names);
  spec.ip_addresses = std::move(ips);
  return spec;
}

TEST_CASE("Finalize -> processing -> valid -> a chain that verifies (S-FIN-06, S-CERT-01/02)",
          "[wfe][finalize]") {
  Fixture f;
  const std::vector<Identifier> names = {
      {"dns", "example.org"}, {"dns", "*.example.org"}, {"ip", "192.0.2.7"}};
  const auto order = f.ReadyOrder(names);
  const auto leaf_key = MakeKey("P-256");
  // Any order and case of the names will do (S-FIN-03).
  const http::Response response = f.Finalize(
      order.id,
      CsrPayload(SpecFor(leaf_key.get(), {"*.example.org", "EXAMPLE.org"}, {"192.0.2.7"})));
  REQUIRE(response.status == 200);
  CHECK(Body(response)["status"] == "processing");
  CHECK(Body(response)["finalize"] == kWfeBase + "/finalize-order/" + order.id);
  CHECK_FALSE(Body(response).contains("certificate"));
  CHECK(HeaderOf(response, "Retry-After") == "1");  // S-ORD-10
  CHECK(HeaderOf(response, "Location").empty());    // Pebble >= 2.9
  CHECK(f.Status(order.id) == OrderStatus::kProcessing);

  // S-FIN-01: a second finalize while processing.
  const http::Response again = f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {})));
  CheckProblem(again, 403, "orderNotReady");
  CHECK(Body(again)["detail"].get<std::string>().find("processing") != std::string::npos);

  REQUIRE(f.RunTasks() == 1);
  CHECK(f.Status(order.id) == OrderStatus::kValid);
  const auto stored = f.store.GetOrder(order.id);
  REQUIRE(stored.has_value());
  REQUIRE_FALSE(stored->certificate_id.empty());
  CheckProblem(f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org"}))), 403,
               "orderNotReady");  // S-FIN-01: valid is not ready either

  const std::string certificate_url = kWfeBase + "/certZ/" + stored->certificate_id;
  const http::Response download = f.Download(certificate_url);
  REQUIRE(download.status == 200);
  CHECK(HeaderOf(download, "Content-Type") == "application/pem-certificate-chain; charset=utf-8");
  const auto chain = ParseChain(download.body);
  REQUIRE(chain.size() == 2);  // leaf + intermediate; the root is left out (S-CERT-02)
  CHECK(X509_cmp(chain[1].get(), f.authority->intermediate()) == 0);
  CHECK(mockca::ca::testing::VerifyChain(chain[0].get(), {chain[1].get()}, f.authority->root()) ==
        X509_V_OK);
  CHECK(EVP_PKEY_eq(X509_get0_pubkey(chain[0].get()), leaf_key.get()) == 1);
  CHECK(mockca::ca::testing::SubjectAltNames(chain[0].get()) == names);  // S-FIN-08: the order's
  // The store holds the same certificate, for the account that ordered it.
  const auto certificate = f.store.GetCertificate(stored->certificate_id);
  REQUIRE(certificate.has_value());
  CHECK(certificate->account_id == f.account_id);
  CHECK(certificate->order_id == order.id);
  CHECK(common::CertificateDerToPem(certificate->der) + f.authority->ChainPem(0) == download.body);
}

TEST_CASE("An inline issuance answers processing and leaves the order valid", "[wfe][finalize]") {
  Fixture f;
  f.inline_tasks = true;
  const auto order = f.ReadyOrder(kNames);
  const auto leaf_key = MakeKey("RSA-2048");
  const http::Response response =
      f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})));
  REQUIRE(response.status == 200);
  CHECK(Body(response)["status"] == "processing");
  CHECK(f.Status(order.id) == OrderStatus::kValid);
  CHECK(f.store.Counts().certificates == 1);
}

TEST_CASE("Retry-After follows the policy, 0 sends none (S-ORD-10)", "[wfe][finalize]") {
  const auto seconds = GENERATE(0, 7);
  Fixture f(mockca::wfe::FinalizePolicy{.order_retry_after = std::chrono::seconds(seconds)});
  const auto order = f.ReadyOrder(kNames);
  const auto leaf_key = MakeKey("P-256");
  const http::Response response =
      f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})));
  REQUIRE(response.status == 200);
  CHECK(HeaderOf(response, "Retry-After") == (seconds == 0 ? "" : std::to_string(seconds)));
}

TEST_CASE("Finalize of an order that is not ready is orderNotReady (S-FIN-01)", "[wfe][finalize]") {
  Fixture f;
  const auto order = f.MakeOrder(f.account_id, kNames, /*authorized=*/false);
  const auto leaf_key = MakeKey("P-256");
  const http::Response response =
      f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})));
  CheckProblem(response, 403, "orderNotReady");
  CHECK(Body(response)["detail"].get<std::string>().find("\"pending\"") != std::string::npos);
  CHECK(f.Status(order.id) == OrderStatus::kPending);
  CHECK(f.RunTasks() == 0);
  SECTION("an expired order is invalid") {
    const auto ready = f.ReadyOrder(kNames);
    f.clock.Advance(std::chrono::hours(25));
    const http::Response late = f.Finalize(
        ready.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})));
    CheckProblem(late, 403, "orderNotReady");
    CHECK(Body(late)["detail"].get<std::string>().find("\"invalid\"") != std::string::npos);
  }
}

TEST_CASE("Finalize of an unknown or foreign order is 404 malformed (S-PAG-03)",
          "[wfe][finalize]") {
  Fixture f;
  const std::string other_url = f.Register(f.other_key);
  const auto theirs = f.MakeOrder(*mockca::wfe::AccountIdFromUrl(other_url), kNames);
  const auto leaf_key = MakeKey("P-256");
  const std::string payload =
      CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"}));
  CheckProblem(f.Finalize(theirs.id, payload), 404, "malformed");
  CheckProblem(f.Finalize("no-such-order", payload), 404, "malformed");
  CHECK(f.Status(theirs.id) == OrderStatus::kReady);
  // The owner can.
  CHECK(f.Finalize(theirs.id, payload, &f.other_key, other_url).status == 200);
}

TEST_CASE("Finalize refuses a payload without a strict base64url csr (S-FIN-02)",
          "[wfe][finalize]") {
  Fixture f;
  const auto order = f.ReadyOrder(kNames);
  const auto leaf_key = MakeKey("P-256");
  const std::string der = BuildCsrDer(SpecFor(leaf_key.get(), {"example.org", "www.example.org"}));
  std::string standard = support::Base64Url(der);
  for (char& c : standard) {
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  common::BioPtr bio(BIO_new(BIO_s_mem()));
  const auto* in = reinterpret_cast<const unsigned char*>(der.data());
  common::X509ReqPtr req(d2i_X509_REQ(nullptr, &in, static_cast<long>(der.size())));
  REQUIRE(PEM_write_bio_X509_REQ(bio.get(), req.get()) == 1);
  char* pem_data = nullptr;
  const long pem_size = BIO_get_mem_data(bio.get(), &pem_data);
  const std::string pem(pem_data, static_cast<std::size_t>(pem_size));

  const std::string payload =
      GENERATE_COPY(std::string("{}"), std::string(R"({"csr":1})"), std::string(R"({"csr":null})"),
                    json{{"csr", support::Base64Url(der) + "="}}.dump(),  // padding
                    json{{"csr", support::Base64Url(der + "x") + "=="}}.dump(),
                    json{{"csr", standard + "+/"}}.dump(),  // standard base64 alphabet
                    json{{"csr", pem}}.dump(),              // PEM
                    std::string(""));                       // POST-as-GET (S-PAG-02)
  CheckProblem(f.Finalize(order.id, payload), 400, "malformed");
  CHECK(f.Status(order.id) == OrderStatus::kReady);
  CHECK(f.RunTasks() == 0);
}

TEST_CASE("Finalize refuses a bad CSR with badCSR, the order stays ready (S-FIN-02..05)",
          "[wfe][finalize]") {
  Fixture f;
  const auto order = f.ReadyOrder(kNames);
  const auto leaf_key = MakeKey("P-256");
  std::string payload;
  SECTION("not a CSR") {
    payload = json{{"csr", support::Base64Url("not a CSR")}}.dump();
  }
  SECTION("S-FIN-03: a name is missing") {
    payload = CsrPayload(SpecFor(leaf_key.get(), {"example.org"}));
  }
  SECTION("S-FIN-03: an extra name") {
    payload = CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org", "x.example"}));
  }
  SECTION("S-FIN-03: an ip where the order has a name") {
    payload = CsrPayload(SpecFor(leaf_key.get(), {"example.org"}, {"192.0.2.1"}));
  }
  SECTION("S-FIN-04: the CSR key is the requesting account's key") {
    payload = CsrPayload(SpecFor(f.key.get(), {"example.org", "www.example.org"}));
  }
  SECTION("S-FIN-04: the CSR key is another account's key") {
    f.Register(f.other_key);
    payload = CsrPayload(SpecFor(f.other_key.get(), {"example.org", "www.example.org"}));
  }
  SECTION("S-FIN-05: SHA-1 signature") {
    CsrSpec spec = SpecFor(leaf_key.get(), {"example.org", "www.example.org"});
    spec.digest = EVP_sha1();
    payload = CsrPayload(spec);
  }
  SECTION("S-FIN-05: a weak key") {
    const auto weak = MakeKey("RSA-1024");
    payload = CsrPayload(SpecFor(weak.get(), {"example.org", "www.example.org"}));
  }
  const http::Response response = f.Finalize(order.id, payload);
  CheckProblem(response, 400, "badCSR");
  CHECK(f.Status(order.id) == OrderStatus::kReady);
  CHECK(f.RunTasks() == 0);
  // The order can still be finalized with a good CSR.
  CHECK(
      f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"www.example.org", "example.org"})))
          .status == 200);
}

TEST_CASE("The leaf's validity follows the order's notBefore/notAfter, else the policy (S-FIN-08)",
          "[wfe][finalize]") {
  const auto leaf_key = MakeKey("P-256");
  const std::string payload =
      CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"}));
  auto leaf_of = [&](Fixture& f, const std::string& order_id) {
    REQUIRE(f.Finalize(order_id, payload).status == 200);
    REQUIRE(f.RunTasks() == 1);
    const auto order = f.store.GetOrder(order_id);
    REQUIRE(order.has_value());
    const auto certificate = f.store.GetCertificate(order->certificate_id);
    REQUIRE(certificate.has_value());
    return ParseChain(common::CertificateDerToPem(certificate->der));
  };
  SECTION("both given") {
    Fixture f;
    const auto order =
        f.MakeOrder(f.account_id, kNames, true, "2023-11-15T00:00:00Z", "2023-11-20T12:00:00Z");
    const auto leaf = leaf_of(f, order.id);
    CHECK(TimeOf(X509_get0_notBefore(leaf[0].get())) ==
          std::chrono::system_clock::to_time_t(*common::ParseRfc3339("2023-11-15T00:00:00Z")));
    CHECK(TimeOf(X509_get0_notAfter(leaf[0].get())) ==
          std::chrono::system_clock::to_time_t(*common::ParseRfc3339("2023-11-20T12:00:00Z")));
  }
  SECTION("neither: now .. now + validity - 1 s") {
    Fixture f(mockca::wfe::FinalizePolicy{.validity = std::chrono::hours(48)});
    const auto order = f.MakeOrder(f.account_id, kNames);
    const auto leaf = leaf_of(f, order.id);
    const std::time_t now = std::chrono::system_clock::to_time_t(f.clock.Now());
    CHECK(TimeOf(X509_get0_notBefore(leaf[0].get())) == now);
    CHECK(TimeOf(X509_get0_notAfter(leaf[0].get())) == now + 48 * 3600 - 1);
  }
  SECTION("only notBefore") {
    Fixture f;
    const auto order = f.MakeOrder(f.account_id, kNames, true, "2023-11-15T00:00:00Z");
    const auto leaf = leaf_of(f, order.id);
    const std::time_t start =
        std::chrono::system_clock::to_time_t(*common::ParseRfc3339("2023-11-15T00:00:00Z"));
    CHECK(TimeOf(X509_get0_notBefore(leaf[0].get())) == start);
    CHECK(TimeOf(X509_get0_notAfter(leaf[0].get())) == start + 90 * 24 * 3600 - 1);
  }
}

// The leaf of order_id, finalized with a CSR for kNames.
std::vector<common::X509Ptr> IssuedLeaf(Fixture& f, const std::string& order_id) {
  const auto leaf_key = MakeKey("P-256");
  REQUIRE(
      f.Finalize(order_id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})))
          .status == 200);
  REQUIRE(f.RunTasks() == 1);
  const auto order = f.store.GetOrder(order_id);
  REQUIRE(order.has_value());
  const auto certificate = f.store.GetCertificate(order->certificate_id);
  REQUIRE(certificate.has_value());
  return ParseChain(common::CertificateDerToPem(certificate->der));
}

// The subject's CN, "" when it has none.
std::string CommonNameOf(X509* cert) {
  char buffer[256] = {};
  const int length =
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buffer, sizeof buffer);
  return length < 0 ? std::string() : std::string(buffer, static_cast<std::size_t>(length));
}

bool SanCritical(X509* cert) {
  const int at = X509_get_ext_by_NID(cert, NID_subject_alt_name, -1);
  REQUIRE(at >= 0);
  return X509_EXTENSION_get_critical(X509_get_ext(cert, at)) == 1;
}

mockca::wfe::FinalizePolicy ProfilePolicy() {
  mockca::wfe::FinalizePolicy policy;
  policy.validity = std::chrono::hours(1);  // used only by orders without a profile
  policy.profiles = {
      {"default", {"90 days", std::chrono::days(90), false}},
      {"shortlived", {"6 days", std::chrono::days(6), false}},
      {"named", {"90 days and a CN", std::chrono::days(90), true}},
      {"forever", {"past the clock's range", std::chrono::seconds(9223372037), false}},
  };
  return policy;
}

TEST_CASE("The leaf's validity comes from the order's profile (S-FIN-08, pebble.md §1.2)",
          "[wfe][finalize][profile]") {
  Fixture f(ProfilePolicy());
  const std::time_t now = std::chrono::system_clock::to_time_t(f.clock.Now());
  const auto [profile, seconds] = GENERATE(table<std::string, std::time_t>({
      {"default", 90 * 24 * 3600},
      {"shortlived", 6 * 24 * 3600},
      {"", 3600},  // no profile (none offered when it was ordered): the policy's validity
  }));
  const auto order = f.MakeOrder(f.account_id, kNames, true, std::nullopt, std::nullopt, profile);
  const auto leaf = IssuedLeaf(f, order.id);
  CHECK(TimeOf(X509_get0_notBefore(leaf[0].get())) == now);
  CHECK(TimeOf(X509_get0_notAfter(leaf[0].get())) == now + seconds - 1);
  CHECK(CommonNameOf(leaf[0].get()).empty());  // no CN without promoteCommonName
  CHECK(SanCritical(leaf[0].get()));           // RFC 5280 §4.2.1.6: the subject is empty
}

TEST_CASE("An order's notAfter still wins over its profile's validity (S-FIN-08)",
          "[wfe][finalize][profile]") {
  Fixture f(ProfilePolicy());
  const auto order = f.MakeOrder(f.account_id, kNames, true, "2023-11-15T00:00:00Z",
                                 "2023-11-16T00:00:00Z", "shortlived");
  const auto leaf = IssuedLeaf(f, order.id);
  CHECK(TimeOf(X509_get0_notAfter(leaf[0].get())) ==
        std::chrono::system_clock::to_time_t(*common::ParseRfc3339("2023-11-16T00:00:00Z")));
}

TEST_CASE("A validity past the clock's range saturates instead of overflowing",
          "[wfe][finalize][profile]") {
  Fixture f(ProfilePolicy());
  const auto order = f.MakeOrder(f.account_id, kNames, true, std::nullopt, std::nullopt, "forever");
  const auto leaf = IssuedLeaf(f, order.id);
  std::tm tm{};
  REQUIRE(ASN1_TIME_to_tm(X509_get0_notAfter(leaf[0].get()), &tm) == 1);
  CHECK(tm.tm_year + 1900 == 2262);  // std::chrono::system_clock's (nanosecond) end
  CHECK(f.Status(order.id) == OrderStatus::kValid);
}

TEST_CASE(
    "promoteCommonName puts the first dns name, else the first ip, in the CN (pebble.md §2.8)",
    "[wfe][finalize][profile]") {
  Fixture f(ProfilePolicy());
  const auto order = f.MakeOrder(f.account_id, kNames, true, std::nullopt, std::nullopt, "named");
  const auto leaf = IssuedLeaf(f, order.id);
  CHECK(CommonNameOf(leaf[0].get()) == "example.org");
  CHECK_FALSE(SanCritical(leaf[0].get()));  // the subject is no longer empty
  CHECK(mockca::ca::testing::SubjectAltNames(leaf[0].get()) == kNames);  // SANs unchanged
}

TEST_CASE("Finalize of an order whose profile is no longer offered is invalidProfile (S-FIN-07)",
          "[wfe][finalize][profile]") {
  Fixture f(ProfilePolicy());
  const auto order = f.MakeOrder(f.account_id, kNames, true, std::nullopt, std::nullopt, "retired");
  const auto leaf_key = MakeKey("P-256");
  const http::Response response =
      f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})));
  CheckProblem(response, 400, "invalidProfile");
  CHECK(Body(response)["detail"].get<std::string>().find("\"retired\"") != std::string::npos);
  CHECK(f.RunTasks() == 0);
  CHECK(f.Status(order.id) == OrderStatus::kReady);  // nothing began
}

TEST_CASE("A failed issuance leaves the order invalid with serverInternal (S-ORD-03)",
          "[wfe][finalize]") {
  Fixture f;
  // notAfter before notBefore: the issuer refuses it (newOrder would have; the store does not).
  const auto order =
      f.MakeOrder(f.account_id, kNames, true, "2023-11-20T00:00:00Z", "2023-11-15T00:00:00Z");
  const auto leaf_key = MakeKey("P-256");
  REQUIRE(
      f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})))
          .status == 200);
  REQUIRE(f.RunTasks() == 1);
  CHECK(f.Status(order.id) == OrderStatus::kInvalid);
  const auto stored = f.store.GetOrder(order.id);
  REQUIRE(stored.has_value());
  REQUIRE(stored->error.has_value());
  CHECK(stored->error->type == mockca::acme::ProblemType::kServerInternal);
  CHECK(stored->certificate_id.empty());
  CHECK(f.store.Counts().certificates == 0);
}

TEST_CASE("Of concurrent finalizes of one order exactly one wins (S-FIN-01)", "[wfe][finalize]") {
  Fixture f;
  const auto leaf_key = MakeKey("P-256");
  const std::string payload =
      CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"}));
  for (int round = 0; round < 5; ++round) {
    const auto order = f.ReadyOrder(kNames);
    std::vector<int> statuses(4);
    {
      std::vector<std::jthread> threads;
      for (std::size_t i = 0; i < statuses.size(); ++i) {
        threads.emplace_back([&, i] { statuses[i] = f.Finalize(order.id, payload).status; });
      }
    }
    CHECK(std::count(statuses.begin(), statuses.end(), 200) == 1);
    CHECK(std::count(statuses.begin(), statuses.end(), 403) == 3);
    CHECK(f.RunTasks() == 1);
    CHECK(f.Status(order.id) == OrderStatus::kValid);
  }
}

TEST_CASE("Certificate download: POST-as-GET by the owner only (S-CERT-01, S-PAG-01, S-PAG-03)",
          "[wfe][finalize][certificate]") {
  Fixture f;
  f.inline_tasks = true;
  const auto order = f.ReadyOrder(kNames);
  const auto leaf_key = MakeKey("P-256");
  REQUIRE(
      f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})))
          .status == 200);
  const std::string url = kWfeBase + "/certZ/" + f.store.GetOrder(order.id)->certificate_id;
  SECTION("the owner") {
    CHECK(f.Download(url).status == 200);
  }
  SECTION("a payload is malformed") {
    const std::string payload = GENERATE(as<std::string>(), "{}", R"({"a":1})");
    CheckProblem(f.Download(url, payload), 400, "malformed");
  }
  SECTION("another account gets 404, as for an unknown id") {
    const std::string other = f.Register(f.other_key);
    CheckProblem(f.Post(f.other_key, url, "", other), 404, "malformed");
    CheckProblem(f.Download(kWfeBase + "/certZ/unknown"), 404, "malformed");
  }
  SECTION("signed with jwk") {
    CheckProblem(f.Post(f.key, url, ""), 400, "malformed");
  }
}

// The Link headers of response with rel="alternate", in order.
std::vector<std::string> AlternateLinks(const http::Response& response) {
  std::vector<std::string> links;
  for (const auto& [name, value] : response.headers) {
    if (name == "Link" && value.ends_with(";rel=\"alternate\"")) {
      links.push_back(value);
    }
  }
  return links;
}

TEST_CASE("Alternate chains: one URL per chain, each Linking the others (S-CERT-02, S-CERT-03)",
          "[wfe][finalize][chains]") {
  Fixture f({}, 2);
  f.inline_tasks = true;
  const auto order = f.ReadyOrder(kNames);
  const auto leaf_key = MakeKey("P-256");
  REQUIRE(
      f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})))
          .status == 200);
  const std::string id = f.store.GetOrder(order.id)->certificate_id;
  REQUIRE_FALSE(id.empty());
  const std::string plain = kWfeBase + "/certZ/" + id;
  const std::vector<std::string> urls = {plain, plain + "/alternate/1", plain + "/alternate/2"};
  common::X509Ptr first_leaf;
  for (std::size_t n = 0; n < urls.size(); ++n) {
    CAPTURE(n);
    const http::Response download = f.Download(urls[n]);
    REQUIRE(download.status == 200);
    CHECK(HeaderOf(download, "Content-Type") == "application/pem-certificate-chain; charset=utf-8");
    // S-CERT-02: the same leaf first, then chain n's intermediate, no root.
    const auto chain = ParseChain(download.body);
    REQUIRE(chain.size() == 2);
    if (n == 0) {
      first_leaf.reset(X509_dup(chain[0].get()));
    }
    CHECK(X509_cmp(chain[0].get(), first_leaf.get()) == 0);
    CHECK(X509_cmp(chain[1].get(), f.authority->intermediate(n)) == 0);
    CHECK(mockca::ca::testing::VerifyChain(chain[0].get(), {chain[1].get()},
                                           f.authority->root(n)) == X509_V_OK);
    // S-CERT-03: a Link to every other chain; chain 0's is the plain URL.
    std::vector<std::string> expected;
    for (std::size_t other = 0; other < urls.size(); ++other) {
      if (other != n) {
        expected.push_back("<" + urls[other] + ">;rel=\"alternate\"");
      }
    }
    CHECK(AlternateLinks(download) == expected);
  }
  SECTION("/alternate/0 is chain 0 too, as in Pebble") {
    const http::Response zero = f.Download(plain + "/alternate/0");
    REQUIRE(zero.status == 200);
    CHECK(zero.body == f.Download(plain).body);
  }
  SECTION("an unknown index or a malformed alternate path is 404 malformed") {
    const std::string bad =
        GENERATE(as<std::string>(), "/alternate/3", "/alternate/99", "/alternate/", "/alternate/01",
                 "/alternate/-1", "/alternate/1/x", "/other/1", "/");
    CAPTURE(bad);
    CheckProblem(f.Download(plain + bad), 404, "malformed");
  }
}

TEST_CASE("Without alternate roots a certificate has no alternate Link",
          "[wfe][finalize][chains]") {
  Fixture f;
  f.inline_tasks = true;
  const auto order = f.ReadyOrder(kNames);
  const auto leaf_key = MakeKey("P-256");
  REQUIRE(
      f.Finalize(order.id, CsrPayload(SpecFor(leaf_key.get(), {"example.org", "www.example.org"})))
          .status == 200);
  const std::string plain = kWfeBase + "/certZ/" + f.store.GetOrder(order.id)->certificate_id;
  const http::Response download = f.Download(plain);
  REQUIRE(download.status == 200);
  CHECK(AlternateLinks(download).empty());
  CheckProblem(f.Download(plain + "/alternate/1"), 404, "malformed");
}

}  // namespace

}  // namespace finalize_handlers_test
