// renewalInfo (RFC 9773 §4; pebble.md §2.10): S-ARI-02, S-ARI-03, S-ARI-04, S-ARI-06.

#include "mockca/wfe/ari_handlers.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "common/rfc3339.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/ca/renewal_facts.hpp"
#include "mockca/wfe/ari_cert_id.hpp"
#include "tests/support/jws_signer.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace ari_handlers_test {

namespace {

using namespace std::chrono_literals;
using mockca::acme::Identifier;
using mockca::core::TimePoint;
using mockca::wfe::DefaultWindow;
using mockca::wfe::RevokedWindow;
using nlohmann::json;
using support::Body;
using support::CheckProblem;
using support::HeaderOf;
using support::KeyKind;
using support::kWfeBase;
using support::SharedKey;

const std::string kRenewalInfo = std::string(mockca::wfe::kRenewalInfoPath) + "/";

// The octets of lowercase hex text.
std::string FromHex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return bytes;
}

// The WFE with renewalInfo, and a CA whose leaves are stored directly.
struct Fixture : support::WfeFixture {
  std::unique_ptr<mockca::ca::CertificateAuthority> authority =
      mockca::ca::CertificateAuthority::Create(mockca::ca::KeyAlgorithm::kEcdsaP256, rng,
                                               clock.Now(), 1)
          .value();
  std::string key_id = mockca::ca::IssuerKeyIds(*authority).at(0);

  explicit Fixture(mockca::wfe::RenewalInfoPolicy policy = {}) : WfeFixture(41) {
    mockca::wfe::AddRenewalInfoRoutes(router, store, *authority, clock, std::move(policy));
  }

  // A leaf valid [not_before, not_after] stored for account "a"; returns its certID.
  std::string Issue(TimePoint not_before, TimePoint not_after) {
    mockca::ca::CsrInfo csr;
    const support::TestKey& leaf_key = SharedKey(KeyKind::kEd25519);
    REQUIRE(EVP_PKEY_up_ref(leaf_key.get()) == 1);
    csr.public_key.reset(leaf_key.get());
    csr.identifiers = {{"dns", "ari.example"}};
    auto issued = authority->Issue(csr, csr.identifiers, not_before, not_after);
    REQUIRE(issued.ok());
    mockca::core::Certificate certificate;
    certificate.order_id = "o";
    certificate.account_id = "a";
    certificate.serial_hex = issued->serial_hex;
    certificate.der = issued->der;
    auto stored = store.AddCertificate(std::move(certificate));
    REQUIRE(stored.ok());
    certificate_id = stored->id;
    return mockca::wfe::FormatCertId({key_id, FromHex(issued->serial_hex)});
  }

  http::Response Get(const std::string& cert_id, const std::string& method = "GET",
                     const std::string& origin = "") {
    http::Request request;
    request.method = method;
    request.target = kRenewalInfo + cert_id;
    request.host = "ca.test:14000";
    request.https = true;
    request.headers.emplace_back("User-Agent", "ari-test");
    if (!origin.empty()) {
      request.headers.emplace_back("Origin", origin);
    }
    return router.Dispatch(request);
  }

  std::string certificate_id;
};

TEST_CASE("DefaultWindow: 2/3 of the validity, 24 h either side, clamped, milliseconds",
          "[wfe][ari]") {
  const TimePoint start = support::WfeState::kStart;
  // 90 days: the ideal point is day 60.
  auto window = DefaultWindow(start, start + 90 * 24h);
  CHECK(window.start == start + 59 * 24h);
  CHECK(window.end == start + 61 * 24h);
  // 6 days: ideal at day 4, still inside.
  window = DefaultWindow(start, start + 6 * 24h);
  CHECK(window.start == start + 3 * 24h);
  CHECK(window.end == start + 5 * 24h);
  // 1 day: clamped to the validity.
  window = DefaultWindow(start, start + 24h);
  CHECK(window.start == start);
  CHECK(window.end == start + 24h);
  // Truncated to milliseconds: an ideal point with sub-millisecond parts.
  window = DefaultWindow(start, start + 90 * 24h + 1s + 1ns);
  CHECK(window.start.time_since_epoch() % 1ms == 0ns);
  CHECK(window.end.time_since_epoch() % 1ms == 0ns);
  // S-ARI-03: never end <= start, even for a degenerate validity.
  window = DefaultWindow(start, start);
  CHECK(window.end > window.start);
}

TEST_CASE("RevokedWindow is one second, an hour ago (S-ARI-06)", "[wfe][ari]") {
  const TimePoint now = support::WfeState::kStart + 1500us;
  const auto window = RevokedWindow(now);
  CHECK(window.start == support::WfeState::kStart - 1h + 1ms);
  CHECK(window.end == window.start + 1s);
}

TEST_CASE("RenewalInfoJson prints Go's RFC 3339 milliseconds and the optional explanationURL",
          "[wfe][ari]") {
  const TimePoint start = support::WfeState::kStart;
  json body = mockca::wfe::RenewalInfoJson({start + 500ms, start + 1s}, "");
  CHECK(body == json{{"suggestedWindow",
                      {{"start", "2023-11-14T22:13:20.5Z"}, {"end", "2023-11-14T22:13:21Z"}}}});
  body = mockca::wfe::RenewalInfoJson({start + 120ms, start + 1s + 7ms}, "https://e.example/x");
  CHECK(body["suggestedWindow"]["start"] == "2023-11-14T22:13:20.12Z");
  CHECK(body["suggestedWindow"]["end"] == "2023-11-14T22:13:21.007Z");
  CHECK(body["explanationURL"] == "https://e.example/x");
}

TEST_CASE("GET renewalInfo/<certID> answers the window with Retry-After 21600 (S-ARI-02..04)",
          "[wfe][ari]") {
  Fixture f;
  const TimePoint start = f.clock.Now();
  const std::string cert_id = f.Issue(start, start + 90 * 24h);
  const http::Response response = f.Get(cert_id, "GET", "https://app.example");
  REQUIRE(response.status == 200);
  CHECK(HeaderOf(response, "Retry-After") == "21600");
  CHECK(HeaderOf(response, "Content-Type") == "application/json; charset=utf-8");
  CHECK(support::HasHeader(response, "Link", "<" + kWfeBase + "/dir>;rel=\"index\""));
  CHECK(HeaderOf(response, "Access-Control-Allow-Origin") == "*");
  CHECK(HeaderOf(response, "Replay-Nonce").empty());  // a GET gets no nonce
  const json body = Body(response);
  CHECK(body == json{{"suggestedWindow",
                      {{"start", common::FormatRfc3339(start + 59 * 24h)},
                       {"end", common::FormatRfc3339(start + 61 * 24h)}}}});
  CHECK(f.Get(cert_id, "HEAD").status == 200);
}

TEST_CASE("renewalInfo: explanationURL when configured", "[wfe][ari]") {
  Fixture f(mockca::wfe::RenewalInfoPolicy{"https://status.example/incident", 60s});
  const std::string cert_id = f.Issue(f.clock.Now(), f.clock.Now() + 24h);
  const http::Response response = f.Get(cert_id);
  REQUIRE(response.status == 200);
  CHECK(Body(response)["explanationURL"] == "https://status.example/incident");
  CHECK(HeaderOf(response, "Retry-After") == "60");
}

TEST_CASE("renewalInfo of a revoked certificate is a window in the past (S-ARI-06)", "[wfe][ari]") {
  Fixture f;
  const std::string cert_id = f.Issue(f.clock.Now(), f.clock.Now() + 90 * 24h);
  f.clock.Advance(10 * 24h);
  REQUIRE(f.store
              .UpdateCertificate(f.certificate_id,
                                 [&](mockca::core::Certificate& certificate) {
                                   certificate.revoked = {1, f.clock.Now()};
                                   return mockca::acme::Status();
                                 })
              .ok());
  const http::Response response = f.Get(cert_id);
  REQUIRE(response.status == 200);
  const json window = Body(response)["suggestedWindow"];
  CHECK(window["start"] == common::FormatRfc3339(f.clock.Now() - 1h));
  CHECK(window["end"] == common::FormatRfc3339(f.clock.Now() - 1h + 1s));
}

TEST_CASE("renewalInfo serves a /set-renewal-info/ override verbatim", "[wfe][ari]") {
  Fixture f;
  const std::string cert_id = f.Issue(f.clock.Now(), f.clock.Now() + 24h);
  const mockca::core::Certificate stored = f.store.GetCertificate(f.certificate_id).value();
  REQUIRE(f.store.SetRenewalInfoOverride(stored.serial_hex, "{not json").ok());
  const http::Response response = f.Get(cert_id);
  CHECK(response.status == 200);
  CHECK(response.body == "{not json");
  CHECK(HeaderOf(response, "Content-Type") == "application/json");
  CHECK(HeaderOf(response, "Retry-After") == "21600");
}

TEST_CASE("renewalInfo errors: malformed certID, unknown AKI, unknown serial, POST", "[wfe][ari]") {
  Fixture f;
  const std::string cert_id = f.Issue(f.clock.Now(), f.clock.Now() + 24h);
  const std::string serial_part = cert_id.substr(cert_id.find('.'));

  SECTION("a malformed certID is 400 malformed (S-ARI-02)") {
    const http::Response response = f.Get("not-a-cert-id");
    CheckProblem(response, 400, "malformed");
    CHECK(HeaderOf(response, "Retry-After") == "21600");  // S-ARI-04: errors too
  }
  SECTION("an AKI of no intermediate is 400 malformed, as Pebble") {
    CheckProblem(f.Get(support::Base64Url("not our key") + serial_part), 400, "malformed");
  }
  SECTION("an unknown serial is 404 malformed (S-ARI-02)") {
    const http::Response response =
        f.Get(mockca::wfe::FormatCertId({f.key_id, std::string("\x01\x02\x03", 3)}));
    CheckProblem(response, 404, "malformed");
    CHECK(HeaderOf(response, "Retry-After") == "21600");
  }
  SECTION("POST is not allowed: ARI is an unauthenticated GET (C-ARI-02)") {
    const http::Response response = f.Get(cert_id, "POST");
    CHECK(response.status == 405);
    CHECK(HeaderOf(response, "Allow") == "GET, HEAD");
  }
  SECTION("the bare renewalInfo URL, without a certID, is 404") {
    http::Request request;
    request.method = "GET";
    request.target = mockca::wfe::kRenewalInfoPath;
    request.host = "ca.test:14000";
    CHECK(f.router.Dispatch(request).status == 404);
  }
}

// fuzz/corpus/pem/crash-not-after-9999: a certificate valid until 9999-12-31 (RFC 5280's "no
// well-defined expiration") overflowed from_time_t's nanoseconds (UBSan: signed integer overflow).
TEST_CASE("CertificateValidity saturates a notAfter past the end of system_clock", "[wfe][ari]") {
  const common::EvpPkeyPtr key(EVP_EC_gen("P-256"));
  const common::X509Ptr cert(X509_new());
  REQUIRE((key && cert));
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  REQUIRE(ASN1_TIME_set_string_X509(X509_getm_notBefore(cert.get()), "20231114221320Z") == 1);
  REQUIRE(ASN1_TIME_set_string_X509(X509_getm_notAfter(cert.get()), "99991231235959Z") == 1);
  REQUIRE(X509_set_pubkey(cert.get(), key.get()) == 1);
  REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
  unsigned char* der = nullptr;
  const int size = i2d_X509(cert.get(), &der);
  REQUIRE(size > 0);
  const std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  const auto validity = mockca::ca::CertificateValidity(bytes);
  REQUIRE(validity.ok());
  CHECK(validity.value().not_before == std::chrono::system_clock::from_time_t(1'700'000'000));
  CHECK(validity.value().not_after == std::chrono::system_clock::time_point::max());
}

}  // namespace

}  // namespace ari_handlers_test
