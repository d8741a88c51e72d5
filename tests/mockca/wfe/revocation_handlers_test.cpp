#include "mockca/wfe/revocation_handlers.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/x509_builder.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/paths.hpp"
#include "tests/support/jws_signer.hpp"
#include "tests/support/wfe_fixture.hpp"

namespace revocation_handlers_test {

namespace {

using mockca::acme::Identifier;
using nlohmann::json;
using support::Body;
using support::CheckProblem;
using support::HeaderOf;
using support::KeyKind;
using support::kWfeBase;
using support::SharedKey;
using support::TestKey;

const std::string kRevokeUrl = kWfeBase + "/revoke-cert";

std::string DerText(const std::vector<std::uint8_t>& der) {
  return std::string(der.begin(), der.end());
}

// The WFE with the account and revokeCert routes, and a CertificateAuthority whose leaves are
// stored directly (no finalize needed).
struct Fixture : support::WfeFixture {
  std::unique_ptr<mockca::ca::CertificateAuthority> authority =
      mockca::ca::CertificateAuthority::Create(mockca::ca::KeyAlgorithm::kEcdsaP256, rng,
                                               std::chrono::system_clock::now())
          .value();
  // The certificates' own key: never an account key.
  const TestKey& leaf_key = SharedKey(KeyKind::kEd25519);
  std::string account_url;
  std::string account_id;
  std::string other_url;
  std::string other_id;

  Fixture() : WfeFixture(31) {
    mockca::wfe::AddAccountRoutes(router, store, auth);
    mockca::wfe::AddRevocationRoutes(router, store, auth, clock);
    account_url = Register(key);
    account_id = *mockca::wfe::AccountIdFromUrl(account_url);
    other_url = Register(other_key);
    other_id = *mockca::wfe::AccountIdFromUrl(other_url);
  }

  // A leaf for identifiers with leaf_key, issued by the CA; stored for owner unless not stored.
  mockca::ca::IssuedCertificate Issue(const std::vector<Identifier>& identifiers,
                                      bool stored = true) {
    mockca::ca::CsrInfo csr;
    REQUIRE(EVP_PKEY_up_ref(leaf_key.get()) == 1);
    csr.public_key.reset(leaf_key.get());
    csr.identifiers = identifiers;
    auto issued =
        authority->Issue(csr, identifiers, clock.Now(), clock.Now() + std::chrono::days(1));
    REQUIRE(issued.ok());
    if (stored) {
      mockca::core::Certificate certificate;
      certificate.order_id = "some-order";
      certificate.account_id = account_id;
      certificate.serial_hex = issued->serial_hex;
      certificate.der = issued->der;
      REQUIRE(store.AddCertificate(std::move(certificate)).ok());
    }
    return std::move(issued).value();
  }
  std::optional<mockca::core::Revocation> RevocationOf(const mockca::ca::IssuedCertificate& cert) {
    const auto stored = store.GetCertificateBySerial(cert.serial_hex);
    REQUIRE(stored.has_value());
    return stored->revoked;
  }

  // A valid authorization of owner for identifier, expiring in a day.
  void Authorize(const std::string& owner, Identifier identifier, bool wildcard) {
    mockca::core::Order order;
    order.account_id = owner;
    order.identifiers = {identifier};
    order.expires = clock.Now() + std::chrono::hours(24);
    mockca::core::Authorization authz;
    authz.account_id = owner;
    authz.identifier = std::move(identifier);
    authz.wildcard = wildcard;
    authz.expires = clock.Now() + std::chrono::hours(24);
    authz.challenges.emplace_back().type = "dns-01";
    auto stored = store.AddOrder(std::move(order), {std::move(authz)});
    REQUIRE(stored.ok());
    REQUIRE(store
                .UpdateAuthorization(stored->authz_ids.at(0),
                                     [](mockca::core::Authorization& stored_authz) {
                                       stored_authz.status = mockca::core::AuthzStatus::kValid;
                                       return mockca::acme::Status();
                                     })
                .ok());
  }

  static std::string Payload(const mockca::ca::IssuedCertificate& cert,
                             std::optional<json> reason = std::nullopt) {
    json payload = {{"certificate", support::Base64Url(DerText(cert.der))}};
    if (reason) {
      payload["reason"] = *reason;
    }
    return payload.dump();
  }
  http::Response RevokeByKid(const std::string& payload) {
    return Post(key, kRevokeUrl, payload, account_url);
  }
};

const std::vector<Identifier> kNames = {{"dns", "example.org"}, {"ip", "192.0.2.1"}};

TEST_CASE("The issuing account revokes by kid with any allowed reason (S-REV-01, S-REV-04)",
          "[wfe][revoke]") {
  Fixture f;
  const int reason = GENERATE(0, 1, 2, 3, 4, 5, 6, 8, 9, 10);
  const auto cert = f.Issue(kNames);
  f.clock.Advance(std::chrono::minutes(5));
  const http::Response response = f.RevokeByKid(Fixture::Payload(cert, reason));
  CHECK(response.status == 200);
  CHECK(response.body.empty());
  CHECK_FALSE(HeaderOf(response, "Replay-Nonce").empty());
  const auto revoked = f.RevocationOf(cert);
  REQUIRE(revoked.has_value());
  CHECK(revoked->reason == reason);
  CHECK(revoked->when == f.clock.Now());
}

TEST_CASE("Without a reason, the revocation is unspecified (0)", "[wfe][revoke]") {
  Fixture f;
  const auto cert = f.Issue(kNames);
  REQUIRE(f.RevokeByKid(Fixture::Payload(cert)).status == 200);
  REQUIRE(f.RevocationOf(cert).has_value());
  CHECK(f.RevocationOf(cert)->reason == 0);
}

TEST_CASE("A disallowed reason is badRevocationReason listing the allowed ones (S-REV-03)",
          "[wfe][revoke]") {
  Fixture f;
  const auto cert = f.Issue(kNames);
  const json reason = GENERATE(json(7), json(11), json(-1), json(1000), json(-9223372036854775807));
  const http::Response response = f.RevokeByKid(Fixture::Payload(cert, reason));
  CheckProblem(response, 400, "badRevocationReason");
  CHECK(Body(response)["detail"].get<std::string>().find("0, 1, 2, 3, 4, 5, 6, 8, 9, 10") !=
        std::string::npos);
  CHECK_FALSE(f.RevocationOf(cert).has_value());
}

TEST_CASE("A reason that is not an integer is malformed (S-REV-01)", "[wfe][revoke]") {
  Fixture f;
  const auto cert = f.Issue(kNames);
  const json reason = GENERATE(json("1"), json(1.5), json(true), json(nullptr), json::array({1}));
  CheckProblem(f.RevokeByKid(Fixture::Payload(cert, reason)), 400, "malformed");
  CHECK_FALSE(f.RevocationOf(cert).has_value());
}

TEST_CASE("A bad certificate field is malformed (S-REV-01)", "[wfe][revoke]") {
  Fixture f;
  const auto cert = f.Issue(kNames);
  const std::string b64 = support::Base64Url(DerText(cert.der));
  const std::string payload = GENERATE_COPY(
      std::string("{}"), std::string(R"({"certificate":1})"),
      json{{"certificate", b64 + "="}}.dump(), json{{"certificate", "+/" + b64}}.dump(),
      json{{"certificate", common::CertificateDerToPem(cert.der)}}.dump(),
      json{{"certificate", support::Base64Url("junk")}}.dump(),
      json{{"certificate", support::Base64Url(DerText(cert.der) + "x")}}.dump(), std::string(""));
  const http::Response response = f.RevokeByKid(payload);
  CheckProblem(response, 400, "malformed");
  CHECK_FALSE(f.RevocationOf(cert).has_value());
}

TEST_CASE("A certificate this CA does not hold is 404 malformed (S-REV-04)", "[wfe][revoke]") {
  Fixture f;
  SECTION("issued but never stored") {
    const auto cert = f.Issue(kNames, /*stored=*/false);
    CheckProblem(f.RevokeByKid(Fixture::Payload(cert)), 404, "malformed");
  }
  SECTION("a stored serial with other DER (re-signed by another key)") {
    const auto cert = f.Issue(kNames);
    const unsigned char* in = cert.der.data();
    common::X509Ptr copy(d2i_X509(nullptr, &in, static_cast<long>(cert.der.size())));
    REQUIRE(copy);
    REQUIRE(X509_sign(copy.get(), f.other_key.get(), EVP_sha384()) > 0);
    mockca::ca::IssuedCertificate forged = cert;
    const int size = i2d_X509(copy.get(), nullptr);
    forged.der.assign(static_cast<std::size_t>(size), 0);
    unsigned char* out = forged.der.data();
    i2d_X509(copy.get(), &out);
    REQUIRE(forged.der != cert.der);
    CheckProblem(f.RevokeByKid(Fixture::Payload(forged)), 404, "malformed");
    CHECK_FALSE(f.RevocationOf(cert).has_value());
  }
}

TEST_CASE("A revoked certificate cannot be revoked again: alreadyRevoked (S-REV-04)",
          "[wfe][revoke]") {
  Fixture f;
  const auto cert = f.Issue(kNames);
  REQUIRE(f.RevokeByKid(Fixture::Payload(cert, 1)).status == 200);
  const auto first = f.RevocationOf(cert);
  f.clock.Advance(std::chrono::minutes(1));
  CheckProblem(f.RevokeByKid(Fixture::Payload(cert, 4)), 400, "alreadyRevoked");
  // Also through the certificate key.
  CheckProblem(f.Post(f.leaf_key, kRevokeUrl, Fixture::Payload(cert)), 400, "alreadyRevoked");
  REQUIRE(f.RevocationOf(cert).has_value());
  CHECK(f.RevocationOf(cert)->reason == 1);
  CHECK(f.RevocationOf(cert)->when == first->when);
}

TEST_CASE("The certificate's own key may revoke it by jwk (S-REV-02)", "[wfe][revoke]") {
  Fixture f;
  const auto cert = f.Issue(kNames);
  const http::Response response = f.Post(f.leaf_key, kRevokeUrl, Fixture::Payload(cert, 1));
  CHECK(response.status == 200);
  REQUIRE(f.RevocationOf(cert).has_value());
  CHECK(f.RevocationOf(cert)->reason == 1);
}

TEST_CASE("A jwk that is not the certificate's key is unauthorized (S-REV-02)", "[wfe][revoke]") {
  Fixture f;
  const auto cert = f.Issue(kNames);
  // Even the issuing account's key, when sent as jwk rather than kid.
  const TestKey& signer = SharedKey(GENERATE(KeyKind::kP256, KeyKind::kP521));
  CheckProblem(f.Post(signer, kRevokeUrl, Fixture::Payload(cert)), 403, "unauthorized");
  CHECK_FALSE(f.RevocationOf(cert).has_value());
}

TEST_CASE("Another account may revoke only with valid authorizations for every name (S-REV-02)",
          "[wfe][revoke]") {
  Fixture f;
  auto revoke_as_other = [&f](const mockca::ca::IssuedCertificate& cert) {
    return f.Post(f.other_key, kRevokeUrl, Fixture::Payload(cert), f.other_url);
  };
  SECTION("no authorizations: 403 unauthorized") {
    const auto cert = f.Issue(kNames);
    CheckProblem(revoke_as_other(cert), 403, "unauthorized");
    CHECK_FALSE(f.RevocationOf(cert).has_value());
  }
  SECTION("authorizations for some names only") {
    const auto cert = f.Issue(kNames);
    f.Authorize(f.other_id, {"dns", "example.org"}, false);
    CheckProblem(revoke_as_other(cert), 403, "unauthorized");
    CHECK_FALSE(f.RevocationOf(cert).has_value());
  }
  SECTION("authorizations for every name") {
    const auto cert = f.Issue(kNames);
    f.Authorize(f.other_id, {"dns", "example.org"}, false);
    f.Authorize(f.other_id, {"ip", "192.0.2.1"}, false);
    CHECK(revoke_as_other(cert).status == 200);
    CHECK(f.RevocationOf(cert).has_value());
  }
  SECTION("expired authorizations do not count") {
    const auto cert = f.Issue(kNames);
    f.Authorize(f.other_id, {"dns", "example.org"}, false);
    f.Authorize(f.other_id, {"ip", "192.0.2.1"}, false);
    f.clock.Advance(std::chrono::hours(25));
    CheckProblem(revoke_as_other(cert), 403, "unauthorized");
  }
  SECTION("a wildcard name needs a wildcard authorization") {
    const auto cert = f.Issue({{"dns", "*.example.org"}});
    f.Authorize(f.other_id, {"dns", "example.org"}, false);
    CheckProblem(revoke_as_other(cert), 403, "unauthorized");
    f.Authorize(f.other_id, {"dns", "example.org"}, true);
    CHECK(revoke_as_other(cert).status == 200);
  }
  SECTION("the issuing account's authorizations do not help another account") {
    const auto cert = f.Issue(kNames);
    f.Authorize(f.account_id, {"dns", "example.org"}, false);
    f.Authorize(f.account_id, {"ip", "192.0.2.1"}, false);
    CheckProblem(revoke_as_other(cert), 403, "unauthorized");
  }
}

TEST_CASE("revokeCert refuses POST-as-GET and other methods", "[wfe][revoke]") {
  Fixture f;
  CheckProblem(f.RevokeByKid(""), 400, "malformed");
  http::Request request;
  request.method = "GET";
  request.target = "/revoke-cert";
  request.host = "ca.test:14000";
  request.https = true;
  CHECK(f.router.Dispatch(request).status == 405);
}

}  // namespace

}  // namespace revocation_handlers_test
