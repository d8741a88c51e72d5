// newOrder's `replaces` (RFC 9773 §5; pebble.md §2.5): S-ARI-05.

#include "mockca/wfe/ari_replaces.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/clock.hpp"
#include "common/rng.hpp"
#include "mockca/ca/authority.hpp"
#include "mockca/ca/renewal_facts.hpp"
#include "mockca/wfe/ari_cert_id.hpp"
#include "tests/support/jws_signer.hpp"

namespace ari_replaces_test {

namespace {

using namespace std::chrono_literals;
using mockca::acme::Identifier;
using mockca::acme::ProblemType;
using mockca::core::Account;
using mockca::wfe::CheckReplaces;
using nlohmann::json;

// 2023-11-14T22:13:20Z.
constexpr common::Clock::TimePoint kStart{std::chrono::seconds(1'700'000'000)};

std::string FromHex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return bytes;
}

struct Fixture {
  common::FakeClock clock{kStart};
  common::Rng rng{53};
  mockca::store::MemoryStore store{clock, rng};
  std::unique_ptr<mockca::ca::CertificateAuthority> authority =
      mockca::ca::CertificateAuthority::Create(mockca::ca::KeyAlgorithm::kEcdsaP256, rng, kStart)
          .value();
  std::vector<std::string> issuers = mockca::ca::IssuerKeyIds(*authority);
  Account owner = NewAccount("owner");
  Account stranger = NewAccount("stranger");
  std::string certificate_id;

  Account NewAccount(const std::string& thumbprint) {
    Account account;
    account.key_thumbprint = thumbprint;
    return store.AddAccount(account).value();
  }

  // A leaf for identifiers ordered by owner; returns its certID.
  std::string Issue(const std::vector<Identifier>& identifiers) {
    mockca::ca::CsrInfo csr;
    const support::TestKey& leaf_key = support::SharedKey(support::KeyKind::kEd25519);
    REQUIRE(EVP_PKEY_up_ref(leaf_key.get()) == 1);
    csr.public_key.reset(leaf_key.get());
    csr.identifiers = identifiers;
    auto issued = authority->Issue(csr, identifiers, kStart, kStart + 90 * 24h);
    REQUIRE(issued.ok());
    mockca::core::Certificate certificate;
    certificate.order_id = "o";
    certificate.account_id = owner.id;
    certificate.serial_hex = issued->serial_hex;
    certificate.der = issued->der;
    auto stored = store.AddCertificate(std::move(certificate));
    REQUIRE(stored.ok());
    certificate_id = stored->id;
    return mockca::wfe::FormatCertId({issuers.at(0), FromHex(issued->serial_hex)});
  }

  mockca::acme::Result<std::string> Check(const json& replaces, const Account& account,
                                          const std::vector<Identifier>& identifiers) {
    return CheckReplaces(replaces, account, identifiers, store, issuers, clock.Now());
  }

  // Stores a pending order of owner for identifiers that claims certificate_id.
  void Claim(const std::vector<Identifier>& identifiers) {
    mockca::core::Order order;
    order.account_id = owner.id;
    order.expires = clock.Now() + 24h;
    order.identifiers = identifiers;
    mockca::core::Authorization authz;
    authz.identifier = identifiers.at(0);
    authz.expires = clock.Now() + 1h;
    authz.challenges.emplace_back().type = "dns-01";
    REQUIRE(store.AddOrder(order, {authz}, certificate_id).ok());
  }
};

const std::vector<Identifier> kNames = {{"dns", "a.example"}, {"ip", "192.0.2.7"}};

TEST_CASE("CheckReplaces accepts the owner's certificate with a shared identifier", "[wfe][ari]") {
  Fixture f;
  const std::string cert_id = f.Issue(kNames);
  auto checked = f.Check(cert_id, f.owner, {{"dns", "A.Example"}, {"dns", "new.example"}});
  REQUIRE(checked.ok());
  CHECK(*checked == f.certificate_id);
  CHECK(f.Check(cert_id, f.owner, {{"ip", "192.0.2.7"}}).ok());
}

struct Refusal {
  const char* name;
  json replaces;
  int status;
  ProblemType type;
  const char* detail;
};

TEST_CASE("CheckReplaces refuses, in Pebble's order, with the first failing check (S-ARI-05)",
          "[wfe][ari]") {
  Fixture f;
  const std::string cert_id = f.Issue(kNames);
  const std::string serial_part = cert_id.substr(cert_id.find('.'));
  const std::string unknown_serial =
      mockca::wfe::FormatCertId({f.issuers.at(0), std::string("\x12\x34", 2)});
  const Refusal cases[] = {
      {"not a string", 42, 400, ProblemType::kMalformed, "must be a certID string"},
      {"not a certID", "abc", 400, ProblemType::kMalformed, "certID must be"},
      {"unknown AKI", support::Base64Url("other") + serial_part, 400, ProblemType::kMalformed,
       "names no issuer"},
      // Pebble answers 500 here (its #550); the certificate is unknown, a client error.
      {"unknown serial", unknown_serial, 400, ProblemType::kMalformed, "no certificate"},
  };
  for (const Refusal& c : cases) {
    DYNAMIC_SECTION(c.name) {
      auto checked = f.Check(c.replaces, f.owner, kNames);
      REQUIRE_FALSE(checked.ok());
      CHECK(checked.error().status == c.status);
      CHECK(checked.error().type == c.type);
      CHECK_THAT(checked.error().detail, Catch::Contains(c.detail));
    }
  }
  SECTION("another account's certificate is 403 unauthorized") {
    auto checked = f.Check(cert_id, f.stranger, kNames);
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().type == ProblemType::kUnauthorized);
    CHECK(checked.error().status == 403);
  }
  SECTION("no identifier in common is 400 malformed (Pebble: 500)") {
    auto checked = f.Check(cert_id, f.owner, {{"dns", "b.example"}, {"ip", "192.0.2.8"}});
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().type == ProblemType::kMalformed);
    CHECK_THAT(checked.error().detail, Catch::Contains("do not match"));
  }
  SECTION("an already replaced certificate is 409 alreadyReplaced, before the account check") {
    f.Claim(kNames);
    for (const Account& account : {f.owner, f.stranger}) {
      auto checked = f.Check(cert_id, account, kNames);
      REQUIRE_FALSE(checked.ok());
      CHECK(checked.error().type == ProblemType::kAlreadyReplaced);
      CHECK(checked.error().status == 409);
    }
    // The claiming order expires unissued: the certificate may be replaced again.
    f.clock.Advance(25h);
    CHECK(f.Check(cert_id, f.owner, kNames).ok());
  }
}

}  // namespace

}  // namespace ari_replaces_test
