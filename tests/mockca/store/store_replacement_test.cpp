// The store's ARI state (RFC 9773 §5, S-ARI-05): replacement claims, the replaced mark and the
// /set-renewal-info/ override (pebble.md §3).

#include <string>

#include <catch2/catch.hpp>

#include "mockca/store/memory_store.hpp"
#include "tests/mockca/store/store_fixture.hpp"

namespace store_replacement_test {

namespace {

using namespace std::chrono_literals;
using mockca::acme::ProblemType;
using mockca::acme::Status;
using mockca::core::Certificate;
using mockca::core::Order;
using mockca::core::OrderStatus;
using mockca::store::testing::StoreFixture;

struct Fixture : StoreFixture {
  mockca::core::Account account = Account("t");

  Certificate StoredCertificate(const std::string& serial_hex) {
    Certificate certificate;
    certificate.order_id = "o";
    certificate.account_id = account.id;
    certificate.serial_hex = serial_hex;
    certificate.der = {1, 2, 3};
    return store.AddCertificate(certificate).value();
  }

  // A new order for a.example claiming certificate_id.
  mockca::acme::Result<mockca::core::Order> Replacing(const std::string& certificate_id) {
    mockca::core::Order order;
    order.account_id = account.id;
    order.expires = clock.Now() + 24h;
    order.identifiers = {{"dns", "a.example"}};
    return store.AddOrder(order, {PendingAuthz("a.example")}, certificate_id);
  }

  // Takes order through ready and processing to valid with certificate certificate_id.
  void Issue(const mockca::core::Order& order, const std::string& certificate_id) {
    Validate(order.authz_ids.at(0));
    REQUIRE(store
                .UpdateOrder(order.id,
                             [](mockca::core::Order& o) {
                               o.began_processing = true;
                               return Status();
                             })
                .ok());
    REQUIRE(store
                .UpdateOrder(order.id,
                             [&](mockca::core::Order& o) {
                               o.certificate_id = certificate_id;
                               return Status();
                             })
                .ok());
  }
};

TEST_CASE("AddOrder claims the replaced certificate, a second claim is 409 alreadyReplaced",
          "[store][ari]") {
  Fixture f;
  const Certificate old = f.StoredCertificate("4a");
  CHECK_FALSE(f.store.IsCertificateReplaced(old.id, f.clock.Now()));

  auto first = f.Replacing(old.id);
  REQUIRE(first.ok());
  CHECK(f.store.GetCertificate(old.id)->replacing_order_id == first->id);
  CHECK_FALSE(f.store.GetCertificate(old.id)->replaced);
  // RFC 9773 §5: a pending order already counts.
  CHECK(f.store.IsCertificateReplaced(old.id, f.clock.Now()));

  const auto orders_before = f.store.Counts().orders;
  auto second = f.Replacing(old.id);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().type == ProblemType::kAlreadyReplaced);
  CHECK(second.error().status == 409);
  CHECK(f.store.Counts().orders == orders_before);  // nothing stored

  CHECK(f.Replacing("no-such-certificate").error().type == ProblemType::kServerInternal);
}

TEST_CASE("A claim lapses while the replacing order is invalid or evicted", "[store][ari]") {
  Fixture f;
  const Certificate old = f.StoredCertificate("4b");
  auto failed = f.Replacing(old.id);
  REQUIRE(failed.ok());
  REQUIRE(f.store
              .UpdateOrder(failed->id,
                           [](Order& o) {
                             o.error = mockca::acme::ServerInternal("issuance failed");
                             return Status();
                           })
              .ok());
  REQUIRE(f.StatusOf(failed->id) == OrderStatus::kInvalid);
  CHECK_FALSE(f.store.IsCertificateReplaced(old.id, f.clock.Now()));

  auto retry = f.Replacing(old.id);  // Pebble: the mark is cleared when the replacement fails
  REQUIRE(retry.ok());
  CHECK(f.store.GetCertificate(old.id)->replacing_order_id == retry->id);

  // The retry expires unissued and is evicted: the claim goes with it.
  f.clock.Advance(48h);
  CHECK_FALSE(f.store.IsCertificateReplaced(old.id, f.clock.Now()));
  f.store.EvictExpired(f.clock.Now(), 1h);
  CHECK_FALSE(f.store.IsCertificateReplaced(old.id, f.clock.Now()));
  CHECK(f.Replacing(old.id).ok());
}

TEST_CASE("Once the replacing order issues, the certificate stays replaced", "[store][ari]") {
  Fixture f;
  const Certificate old = f.StoredCertificate("4c");
  auto replacing = f.Replacing(old.id);
  REQUIRE(replacing.ok());
  const Certificate successor = f.StoredCertificate("4d");
  f.Issue(*replacing, successor.id);
  CHECK(f.store.GetCertificate(old.id)->replaced);
  CHECK_FALSE(f.store.GetCertificate(successor.id)->replaced);

  // The valid order later reads invalid (its authorization expires) and is evicted: still replaced.
  f.clock.Advance(72h);
  f.store.EvictExpired(f.clock.Now(), 1h);
  CHECK_FALSE(f.store.GetOrder(replacing->id).has_value());
  CHECK(f.store.IsCertificateReplaced(old.id, f.clock.Now()));
  CHECK(f.Replacing(old.id).error().type == ProblemType::kAlreadyReplaced);
}

TEST_CASE("SetRenewalInfoOverride stores the string for a known serial only", "[store][ari]") {
  Fixture f;
  const Certificate certificate = f.StoredCertificate("4e");
  auto set = f.store.SetRenewalInfoOverride("4e", "not json {");
  REQUIRE(set.ok());
  CHECK(f.store.GetCertificate(certificate.id)->ari_response == "not json {");
  auto missing = f.store.SetRenewalInfoOverride("4f", "{}");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().status == 404);
  CHECK(missing.error().type == ProblemType::kMalformed);
}

}  // namespace

}  // namespace store_replacement_test
