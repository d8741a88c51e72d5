#include "mockdns/server/tls_alpn_certificate.hpp"

#include <arpa/inet.h>

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/asn1.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "common/x509_builder.hpp"

namespace tls_alpn_certificate_test {

namespace {

using mockdns::server::MintTlsAlpnCertificate;
using mockdns::server::ReverseNameToIp;

// An ip6.arpa name for 2001:db8::1.
const std::string kIp6Reverse =
    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";

struct ReverseCase {
  std::string name;
  std::optional<std::string> want;
};

TEST_CASE("ReverseNameToIp maps reverse-mapping names to addresses", "[server][tlsalpn]") {
  const ReverseCase cases[] = {
      {"4.3.2.1.in-addr.arpa", "1.2.3.4"},
      {"4.3.2.1.IN-ADDR.ARPA.", "1.2.3.4"},
      {"0.0.0.0.in-addr.arpa", "0.0.0.0"},
      {kIp6Reverse, "2001:db8::1"},
      {kIp6Reverse + ".", "2001:db8::1"},
      {"3.2.1.in-addr.arpa", std::nullopt},
      {"5.4.3.2.1.in-addr.arpa", std::nullopt},
      {"256.3.2.1.in-addr.arpa", std::nullopt},
      {"d.c.b.a.in-addr.arpa", std::nullopt},
      {"example.com", std::nullopt},
      {"", std::nullopt},
      {"1.0.ip6.arpa", std::nullopt},
      {"10" + kIp6Reverse.substr(1), std::nullopt},
      {"g" + kIp6Reverse.substr(1), std::nullopt},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION("name " << tc.name) {
      CHECK(ReverseNameToIp(tc.name) == tc.want);
    }
  }
}

// The certificate's subjectAltName entries as (type, raw bytes).
std::vector<std::pair<int, std::string>> SubjectAltNames(X509* cert) {
  std::vector<std::pair<int, std::string>> out;
  common::GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  REQUIRE(names != nullptr);
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    const ASN1_STRING* value = name->type == GEN_DNS     ? name->d.dNSName
                               : name->type == GEN_IPADD ? name->d.iPAddress
                                                         : nullptr;
    REQUIRE(value != nullptr);
    out.emplace_back(name->type,
                     std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                                 static_cast<std::size_t>(ASN1_STRING_length(value))));
  }
  return out;
}

std::string Sha256(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

struct Minted {
  common::EvpPkeyPtr key = common::GenerateP256Key();
  common::X509Ptr cert;
  Minted(const std::string& server_name, const std::string& key_authorization) {
    common::Rng rng(5);
    auto minted = MintTlsAlpnCertificate(server_name, key_authorization, key.get(), rng);
    REQUIRE(minted.ok());
    cert = std::move(minted).value();
  }
};

TEST_CASE("MintTlsAlpnCertificate names the server in a DNS SAN", "[server][tlsalpn]") {
  const Minted minted("example.com", "token.thumbprint");
  CHECK(SubjectAltNames(minted.cert.get()) ==
        std::vector<std::pair<int, std::string>>{{GEN_DNS, "example.com"}});
  CHECK(X509_check_host(minted.cert.get(), "example.com", 0, 0, nullptr) == 1);
}

TEST_CASE("MintTlsAlpnCertificate uses an IP SAN for a reverse-mapping name", "[server][tlsalpn]") {
  const Minted v4("4.3.2.1.in-addr.arpa", "ka");
  CHECK(SubjectAltNames(v4.cert.get()) ==
        std::vector<std::pair<int, std::string>>{{GEN_IPADD, std::string("\x01\x02\x03\x04", 4)}});

  const Minted v6(kIp6Reverse, "ka");
  CHECK(X509_check_ip_asc(v6.cert.get(), "2001:db8::1", 0) == 1);
}

TEST_CASE("MintTlsAlpnCertificate adds the critical acmeIdentifier extension",
          "[server][tlsalpn]") {
  const std::string key_authorization = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.thumbprint";
  const Minted minted("example.com", key_authorization);

  ASN1_OBJECT* oid = OBJ_txt2obj(mockdns::server::kAcmeIdentifierOid, 1);
  REQUIRE(oid != nullptr);
  const int index = X509_get_ext_by_OBJ(minted.cert.get(), oid, -1);
  ASN1_OBJECT_free(oid);
  REQUIRE(index >= 0);
  X509_EXTENSION* extension = X509_get_ext(minted.cert.get(), index);
  CHECK(X509_EXTENSION_get_critical(extension) == 1);

  // RFC 8737 §3: extnValue is the DER encoding of an OCTET STRING holding SHA-256(key authz).
  const ASN1_OCTET_STRING* extn_value = X509_EXTENSION_get_data(extension);
  const unsigned char* der = ASN1_STRING_get0_data(extn_value);
  const long der_length = ASN1_STRING_length(extn_value);
  REQUIRE(der_length == 34);
  common::Asn1OctetStringPtr inner(d2i_ASN1_OCTET_STRING(nullptr, &der, der_length));
  REQUIRE(inner != nullptr);
  CHECK(der == ASN1_STRING_get0_data(extn_value) + der_length);  // nothing after the OCTET STRING
  const std::string digest(reinterpret_cast<const char*>(ASN1_STRING_get0_data(inner.get())),
                           static_cast<std::size_t>(ASN1_STRING_length(inner.get())));
  CHECK(digest == Sha256(key_authorization));
  CHECK(digest != Sha256(key_authorization + "x"));
}

TEST_CASE("MintTlsAlpnCertificate signs a currently valid certificate", "[server][tlsalpn]") {
  const Minted minted("example.com", "ka");
  CHECK(X509_verify(minted.cert.get(), minted.key.get()) == 1);
  CHECK(X509_cmp_current_time(X509_get0_notBefore(minted.cert.get())) < 0);
  CHECK(X509_cmp_current_time(X509_get0_notAfter(minted.cert.get())) > 0);
  CHECK(std::string(mockdns::server::kAcmeTlsAlpnProtocol) == "acme-tls/1");
}

}  // namespace

}  // namespace tls_alpn_certificate_test
