#include "mockca/va/tls_alpn01.hpp"

#include <catch2/catch.hpp>

#include "common/x509_builder.hpp"
#include "mockdns/server/tls_alpn_certificate.hpp"
#include "tests/support/mockdns_lab.hpp"

namespace tls_alpn01_test {

namespace {

using mockca::acme::ProblemType;
using mockca::va::CheckTlsAlpnCertificate;
using namespace std::chrono_literals;

// The responder's own certificates (mockdns) are the reference the checks must accept.
common::X509Ptr Minted(const std::string& sni, const std::string& key_authorization) {
  common::Rng rng(1);
  auto key = common::GenerateP256Key();
  auto cert = mockdns::server::MintTlsAlpnCertificate(sni, key_authorization, key.get(), rng);
  REQUIRE(cert.ok());
  return std::move(cert).value();
}

// A certificate with the given SANs and a possibly non-critical or wrong acmeIdentifier.
common::X509Ptr Crafted(std::vector<std::string> dns_names, bool critical, std::string digest_of) {
  common::Rng rng(2);
  auto key = common::GenerateP256Key();
  common::CertificateSpec spec;
  spec.dns_names = std::move(dns_names);
  spec.not_before = std::chrono::system_clock::now() - 1h;
  spec.not_after = spec.not_before + 2h;
  auto reference = Minted("x.example", digest_of);
  common::Asn1ObjectPtr oid(OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1));
  const int index = X509_get_ext_by_OBJ(reference.get(), oid.get(), -1);
  REQUIRE(index >= 0);
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(reference.get(), index));
  spec.extensions.push_back({"1.3.6.1.5.5.7.1.31",
                             std::vector<unsigned char>(value->data, value->data + value->length),
                             critical});
  auto cert = common::MintSelfSigned(spec, key.get(), rng);
  REQUIRE(cert.ok());
  return std::move(cert).value();
}

// S-CHAL-11: each certificate defect is refused as unauthorized.
TEST_CASE("CheckTlsAlpnCertificate accepts the RFC 8737 certificate and refuses each defect",
          "[va][tlsalpn]") {
  const mockca::acme::Identifier id{"dns", "Alpn.Example"};
  CHECK(CheckTlsAlpnCertificate(Minted("alpn.example", "ka").get(), id, "ka").ok());
  struct Case {
    const char* name;
    common::X509Ptr cert;
    const char* detail;
  } cases[] = {
      {"wrong key authorization", Minted("alpn.example", "other"), "SHA-256"},
      {"wrong name", Minted("other.example", "ka"), "does not name"},
      {"two SANs", Crafted({"alpn.example", "www.alpn.example"}, true, "ka"), "exactly one"},
      {"non-critical extension", Crafted({"alpn.example"}, false, "ka"), "critical"},
  };
  for (auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto status = CheckTlsAlpnCertificate(tc.cert.get(), id, "ka");
      REQUIRE_FALSE(status.ok());
      CHECK(status.error().type == ProblemType::kUnauthorized);
      CHECK_THAT(status.error().detail, Catch::Contains(tc.detail));
    }
  }
}

TEST_CASE("TlsAlpnServerName maps IP identifiers to reverse names mockdns understands",
          "[va][tlsalpn]") {
  using mockca::va::TlsAlpnServerName;
  CHECK(TlsAlpnServerName({"dns", "a.example"}) == "a.example");
  CHECK(TlsAlpnServerName({"ip", "192.0.2.10"}) == "10.2.0.192.in-addr.arpa");
  const std::string v6 = TlsAlpnServerName({"ip", "2001:db8::1"});
  CHECK(v6.size() == 64 + 8);
  CHECK(mockdns::server::ReverseNameToIp(v6) == std::optional<std::string>("2001:db8::1"));
}

// The real path against mockdns's tls-alpn-01 responder.
TEST_CASE("ValidateTlsAlpn01 validates against a running responder and types each failure",
          "[va][tlsalpn][net]") {
  support::MockDnsLab lab;
  auto& dns = lab.dns();
  const std::uint16_t port = lab.bound().tls_alpn01.front().port;
  dns.challenges().AddTlsAlpn01("good.example", "ka");
  dns.challenges().AddTlsAlpn01("127.0.0.1", "ip-ka");

  using mockca::va::ValidateTlsAlpn01;
  CHECK(ValidateTlsAlpn01({"dns", "good.example"}, "ka", "127.0.0.1", port, 5s).ok());
  CHECK(ValidateTlsAlpn01({"ip", "127.0.0.1"}, "ip-ka", "127.0.0.1", port, 5s).ok());
  const auto wrong = ValidateTlsAlpn01({"dns", "good.example"}, "stale", "127.0.0.1", port, 5s);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().type == ProblemType::kUnauthorized);
  const auto unknown = ValidateTlsAlpn01({"dns", "nobody.example"}, "ka", "127.0.0.1", port, 5s);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().type == ProblemType::kTls);  // the responder's alert 80
  lab.Shutdown();
  const auto closed = ValidateTlsAlpn01({"dns", "good.example"}, "ka", "127.0.0.1", port, 2s);
  REQUIRE_FALSE(closed.ok());
  CHECK(closed.error().type == ProblemType::kConnection);
}

}  // namespace

}  // namespace tls_alpn01_test
