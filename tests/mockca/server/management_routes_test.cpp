// Pebble's management interface (pebble.md §3): roots, intermediates, keys and cert status, with
// alternate chains; revocation shows there (S-REV-05).

#include "mockca/server/management_routes.hpp"

#include <cctype>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/pem.h>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "common/rng.hpp"
#include "common/x509_builder.hpp"
#include "mockca/ca/certificate_facts.hpp"
#include "mockca/store/memory_store.hpp"

namespace management_routes_test {

namespace {

using mockca::ca::CertificateAuthority;
using mockca::ca::KeyAlgorithm;
using mockca::server::ManagementSources;
using mockca::server::ServeManagement;
using nlohmann::json;

// 2023-11-14T22:13:20Z.
constexpr common::Clock::TimePoint kStart{std::chrono::seconds(1'700'000'000)};

// A CA of three chains (two alternate roots), a store holding one issued leaf, and the handler.
struct Fixture {
  explicit Fixture(KeyAlgorithm algorithm = KeyAlgorithm::kEcdsaP256)
      : authority(CertificateAuthority::Create(algorithm, rng, kStart, 2, 1).value()) {
    mockca::ca::CsrInfo csr;
    csr.public_key = common::EvpPkeyPtr(EVP_EC_gen("P-256"));
    csr.identifiers = {{"dns", "status.example"}};
    auto issued = authority->Issue(csr, csr.identifiers, kStart, kStart + std::chrono::hours(1));
    REQUIRE(issued.ok());
    mockca::core::Certificate certificate;
    certificate.order_id = "order";
    certificate.account_id = "account";
    certificate.serial_hex = issued->serial_hex;
    certificate.der = issued->der;
    auto stored = store.AddCertificate(std::move(certificate));
    REQUIRE(stored.ok());
    leaf = std::move(stored).value();
    leaf_pem = common::CertificateDerToPem(issued->der);
  }

  http::Response Get(const std::string& target, const std::string& method = "GET",
                     const std::string& body = "") {
    http::Request request;
    request.method = method;
    request.target = target;
    request.host = "localhost:15000";
    request.body = body;
    return ServeManagement(request, ManagementSources{*authority, store});
  }
  http::Response SetRenewalInfo(const json& body, const std::string& method = "POST") {
    return Get("/set-renewal-info/", method, body.dump());
  }

  common::FakeClock clock{kStart};
  common::Rng rng{31};
  mockca::store::MemoryStore store{clock, rng};
  std::unique_ptr<CertificateAuthority> authority;
  mockca::core::Certificate leaf;
  std::string leaf_pem;  // as the CA encodes it
};

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return "";
}

std::vector<std::string> HeadersOf(const http::Response& response, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      values.push_back(value);
    }
  }
  return values;
}

void CheckEmpty404(const http::Response& response) {
  CHECK(response.status == 404);
  CHECK(response.body.empty());
}

common::X509Ptr ParsePem(const std::string& pem) {
  common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return common::X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

TEST_CASE("roots/<n> and intermediates/<n> serve each chain, with alternate Links on roots",
          "[management]") {
  Fixture f;
  for (std::size_t n = 0; n < 3; ++n) {
    CAPTURE(n);
    const std::string index = std::to_string(n);
    const http::Response root = f.Get("/roots/" + index);
    REQUIRE(root.status == 200);
    CHECK(HeaderOf(root, "Content-Type") == "application/pem-certificate-chain; charset=utf-8");
    CHECK(root.body == f.authority->RootPem(n));
    std::vector<std::string> expected;
    for (std::size_t other = 0; other < 3; ++other) {
      if (other != n) {
        expected.push_back("<https://localhost:15000/roots/" + std::to_string(other) +
                           ">;rel=\"alternate\"");
      }
    }
    CHECK(HeadersOf(root, "Link") == expected);  // no rel="index" on this port

    const http::Response intermediate = f.Get("/intermediates/" + index, "POST");  // any method
    REQUIRE(intermediate.status == 200);
    CHECK(intermediate.body == f.authority->IntermediatePem(n));
    CHECK(HeadersOf(intermediate, "Link").empty());
    const auto cert = ParsePem(intermediate.body);
    REQUIRE(cert);
    CHECK(X509_check_issued(f.authority->root(n), cert.get()) == X509_V_OK);
  }
}

TEST_CASE("root-keys and intermediate-keys export RSA as PKCS#1 and ECDSA as SEC1",
          "[management]") {
  struct Case {
    KeyAlgorithm algorithm;
    const char* header;
  };
  const auto tc = GENERATE(Case{KeyAlgorithm::kRsa2048, "-----BEGIN RSA PRIVATE KEY-----\n"},
                           Case{KeyAlgorithm::kEcdsaP256, "-----BEGIN EC PRIVATE KEY-----\n"});
  Fixture f(tc.algorithm);
  for (std::size_t n = 0; n < 3; ++n) {
    CAPTURE(n, tc.header);
    const std::string index = std::to_string(n);
    for (const auto& [path, cert] :
         {std::pair{"/root-keys/" + index, f.authority->root(n)},
          std::pair{"/intermediate-keys/" + index, f.authority->intermediate(n)}}) {
      const http::Response response = f.Get(path);
      REQUIRE(response.status == 200);
      CHECK(HeaderOf(response, "Content-Type") == "application/x-pem-file");
      CHECK(response.body.starts_with(tc.header));
      common::BioPtr bio(
          BIO_new_mem_buf(response.body.data(), static_cast<int>(response.body.size())));
      common::EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
      REQUIRE(key);
      CHECK(X509_check_private_key(cert, key.get()) == 1);
    }
  }
}

TEST_CASE("An index out of range or not an integer is 404 with an empty body", "[management]") {
  Fixture f;
  for (const char* prefix : {"/roots/", "/intermediates/", "/root-keys/", "/intermediate-keys/"}) {
    CAPTURE(prefix);
    for (const char* index : {"3", "99", "", "x", "-1", "1/", "0x1", "99999999999999999999"}) {
      CAPTURE(index);
      CheckEmpty404(f.Get(std::string(prefix) + index));
    }
  }
  CheckEmpty404(f.Get("/"));
  CheckEmpty404(f.Get("/roots"));
  CheckEmpty404(f.Get("/set-renewal-info"));  // the path is exact, with its slash
  CheckEmpty404(f.Get("/set-renewal-info/x", "POST"));
}

// Pebble's JSON, keys in Pebble's order.
std::string StatusJson(const std::string& status, const std::string& serial,
                       const std::string& pem) {
  nlohmann::ordered_json body;
  body["Status"] = status;
  body["Serial"] = serial;
  body["Certificate"] = pem;
  return body.dump();
}

TEST_CASE("cert-status-by-serial: Valid, then Revoked with Reason and RevokedAt (S-REV-05)",
          "[management]") {
  Fixture f;
  const std::string& serial = f.leaf.serial_hex;
  const http::Response valid = f.Get("/cert-status-by-serial/" + serial);
  REQUIRE(valid.status == 200);
  CHECK(HeaderOf(valid, "Content-Type") == "application/json; charset=utf-8");
  CHECK(valid.body == StatusJson("Valid", serial, f.leaf_pem));

  const auto when = GENERATE(std::pair{std::chrono::milliseconds(60), ".06"},
                             std::pair{std::chrono::milliseconds(0), ""},
                             std::pair{std::chrono::milliseconds(1500), ".5"});
  auto revoked = f.store.UpdateCertificate(f.leaf.id, [&](mockca::core::Certificate& certificate) {
    certificate.revoked = mockca::core::Revocation{1, kStart + when.first};
    return mockca::acme::Status();
  });
  REQUIRE(revoked.ok());
  const http::Response status = f.Get("/cert-status-by-serial/" + serial, "POST");
  REQUIRE(status.status == 200);
  const std::string seconds = when.first.count() >= 1000 ? "21" : "20";
  const std::string expected = R"({"Status":"Revoked","Serial":")" + serial +
                               R"(","Certificate":)" + json(f.leaf_pem).dump() +
                               R"(,"Reason":1,"RevokedAt":"2023-11-14 22:13:)" + seconds +
                               when.second + R"( +0000 UTC"})";
  CHECK(status.body == expected);
}

TEST_CASE("cert-status-by-serial takes any case and leading zeros, answers lowercase",
          "[management]") {
  Fixture f;
  std::string upper = f.leaf.serial_hex;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const http::Response response = f.Get("/cert-status-by-serial/000" + upper);
  REQUIRE(response.status == 200);
  CHECK(json::parse(response.body)["Serial"] == f.leaf.serial_hex);
}

TEST_CASE("cert-status-by-serial answers the CA's own roots and intermediates as Valid",
          "[management]") {
  Fixture f;
  for (std::size_t n = 0; n < 3; ++n) {
    CAPTURE(n);
    const std::string root_serial = mockca::ca::SerialHex(f.authority->root(n));
    const http::Response root = f.Get("/cert-status-by-serial/" + root_serial);
    REQUIRE(root.status == 200);
    CHECK(root.body == StatusJson("Valid", json::parse(root.body)["Serial"].get<std::string>(),
                                  f.authority->RootPem(n)));
    const std::string issuer_serial = mockca::ca::SerialHex(f.authority->intermediate(n));
    const http::Response issuer = f.Get("/cert-status-by-serial/" + issuer_serial);
    REQUIRE(issuer.status == 200);
    CHECK(json::parse(issuer.body)["Certificate"] == f.authority->IntermediatePem(n));
  }
}

TEST_CASE("cert-status-by-serial: non-hex is 400, unknown is 404, both with empty bodies",
          "[management]") {
  Fixture f;
  for (const char* bad : {"", "xyz", "0x12", "-12", "+12", "12g", "12%20"}) {
    CAPTURE(bad);
    const http::Response response = f.Get(std::string("/cert-status-by-serial/") + bad);
    CHECK(response.status == 400);
    CHECK(response.body.empty());
  }
  CheckEmpty404(f.Get("/cert-status-by-serial/1234"));
  CheckEmpty404(f.Get("/cert-status-by-serial/0"));
}

// pebble.md §3: /set-renewal-info/ overrides a certificate's renewalInfo (RFC 9773; ARI served by
// wfe/ari_handlers, tested in tests/mockca/wfe/ari_handlers_test.cpp).
void CheckManagementProblem(const http::Response& response, int status) {
  CHECK(response.status == status);
  CHECK(HeaderOf(response, "Content-Type") == "application/problem+json; charset=utf-8");
  const json problem = json::parse(response.body, nullptr, false);
  CHECK(problem.value("type", "") == "urn:ietf:params:acme:error:malformed");
  CHECK(problem.value("status", 0) == status);
}

TEST_CASE("set-renewal-info stores ariResponse verbatim for an issued certificate",
          "[management][ari]") {
  Fixture f;
  const std::string pem = "leading text\n" + f.leaf_pem + "trailing\n";
  const http::Response response =
      f.SetRenewalInfo({{"certificate", pem}, {"ariResponse", "{\"suggestedWindow\": 1"}});
  CHECK(response.status == 200);
  CHECK(response.body.empty());
  CHECK(f.store.GetCertificate(f.leaf.id)->ari_response == "{\"suggestedWindow\": 1");
  // Set again: the latest string wins.
  REQUIRE(f.SetRenewalInfo({{"certificate", f.leaf_pem}, {"ariResponse", ""}}).status == 200);
  CHECK(f.store.GetCertificate(f.leaf.id)->ari_response == "");
}

TEST_CASE("set-renewal-info errors are problem documents, as Pebble's", "[management][ari]") {
  Fixture f;
  SECTION("a certificate field without a PEM certificate is 400 malformed") {
    CheckManagementProblem(f.SetRenewalInfo({{"certificate",
                                              "-----BEGIN CERTIFICATE-----\nAAAA\n"
                                              "-----END CERTIFICATE-----\n"},
                                             {"ariResponse", "{}"}}),
                           400);
  }
  SECTION("a certificate this CA did not issue is 404 malformed") {
    CheckManagementProblem(
        f.SetRenewalInfo({{"certificate", f.authority->RootPem(0)}, {"ariResponse", "{}"}}), 404);
  }
  SECTION("a body that is not the object is 400 malformed") {
    CheckManagementProblem(f.Get("/set-renewal-info/", "POST", "not json"), 400);
    CheckManagementProblem(f.SetRenewalInfo({{"certificate", f.leaf_pem}}), 400);
    CheckManagementProblem(f.SetRenewalInfo({{"certificate", f.leaf_pem}, {"ariResponse", 7}}),
                           400);
  }
  SECTION("another method is 405 with Allow: POST") {
    const http::Response response = f.SetRenewalInfo({}, "GET");
    CheckManagementProblem(response, 405);
    CHECK(HeaderOf(response, "Allow") == "POST");
  }
  CHECK_FALSE(f.store.GetCertificate(f.leaf.id)->ari_response.has_value());
}

}  // namespace

}  // namespace management_routes_test
