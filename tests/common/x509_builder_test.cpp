#include "common/x509_builder.hpp"

#include <arpa/inet.h>

#include <chrono>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace x509_builder_test {

namespace {

using namespace std::chrono_literals;

common::CertificateSpec ServerSpec() {
  common::CertificateSpec spec;
  spec.common_name = "test server";
  spec.dns_names = {"a.example", "b.example"};
  spec.ip_addresses = {"10.0.0.1", "::1"};
  spec.not_before = std::chrono::system_clock::now() - 1h;
  spec.not_after = std::chrono::system_clock::now() + 1h;
  return spec;
}

// The subjectAltName entries of cert as "DNS:name" / "IP:address" strings.
std::set<std::string> SubjectAltNames(X509* cert) {
  std::set<std::string> out;
  common::GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) {
    return out;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      out.insert("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                                      static_cast<std::size_t>(ASN1_STRING_length(dns))));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      const int length = ASN1_STRING_length(ip);
      char text[INET6_ADDRSTRLEN] = {};
      inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), text, sizeof text);
      out.insert("IP:" + std::string(text));
    }
  }
  return out;
}

TEST_CASE("MintSelfSigned puts every DNS and IP SAN in the certificate", "[common][x509]") {
  common::Rng rng(1);
  const auto key = common::GenerateP256Key();
  const auto cert = common::MintSelfSigned(ServerSpec(), key.get(), rng);
  REQUIRE(cert.ok());
  X509* x509 = cert.value().get();

  CHECK(SubjectAltNames(x509) ==
        std::set<std::string>{"DNS:a.example", "DNS:b.example", "IP:10.0.0.1", "IP:::1"});
  CHECK(X509_check_host(x509, "a.example", 0, 0, nullptr) == 1);
  CHECK(X509_check_host(x509, "c.example", 0, 0, nullptr) == 0);
  CHECK(X509_check_ip_asc(x509, "10.0.0.1", 0) == 1);
  CHECK(X509_check_ip_asc(x509, "::1", 0) == 1);
}

TEST_CASE("MintSelfSigned signs with the key and names issuer as subject", "[common][x509]") {
  common::Rng rng(1);
  const auto key = common::GenerateP256Key();
  const auto cert = common::MintSelfSigned(ServerSpec(), key.get(), rng);
  REQUIRE(cert.ok());
  X509* x509 = cert.value().get();

  CHECK(X509_verify(x509, key.get()) == 1);
  CHECK(X509_NAME_cmp(X509_get_subject_name(x509), X509_get_issuer_name(x509)) == 0);
  CHECK(X509_check_ca(x509) == 0);
  const common::BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), nullptr));
  REQUIRE(serial != nullptr);
  CHECK_FALSE(BN_is_negative(serial.get()));
  CHECK_FALSE(BN_is_zero(serial.get()));
}

TEST_CASE("MintSelfSigned marks a CA spec as a CA", "[common][x509]") {
  common::Rng rng(2);
  const auto key = common::GenerateP256Key();
  auto spec = ServerSpec();
  spec.is_ca = true;
  const auto cert = common::MintSelfSigned(spec, key.get(), rng);
  REQUIRE(cert.ok());
  CHECK(X509_check_ca(cert.value().get()) >= 1);
}

TEST_CASE("MintSelfSigned refuses a bad IP literal", "[common][x509]") {
  common::Rng rng(1);
  const auto key = common::GenerateP256Key();
  auto spec = ServerSpec();
  spec.ip_addresses = {"10.0.0.300"};
  const auto cert = common::MintSelfSigned(spec, key.get(), rng);
  REQUIRE_FALSE(cert.ok());
  CHECK_THAT(cert.error(), Catch::Contains("not an IP address: 10.0.0.300"));
}

TEST_CASE("MintSelfSigned adds a raw extension with its criticality", "[common][x509]") {
  common::Rng rng(1);
  const auto key = common::GenerateP256Key();
  auto spec = ServerSpec();
  spec.extensions.push_back({"1.2.3.4.5", {0x04, 0x01, 0xAB}, true});
  const auto cert = common::MintSelfSigned(spec, key.get(), rng);
  REQUIRE(cert.ok());

  ASN1_OBJECT* oid = OBJ_txt2obj("1.2.3.4.5", 1);
  const int index = X509_get_ext_by_OBJ(cert.value().get(), oid, -1);
  ASN1_OBJECT_free(oid);
  REQUIRE(index >= 0);
  X509_EXTENSION* extension = X509_get_ext(cert.value().get(), index);
  CHECK(X509_EXTENSION_get_critical(extension) == 1);
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(extension);
  const std::string bytes(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                          static_cast<std::size_t>(ASN1_STRING_length(data)));
  CHECK(bytes == std::string("\x04\x01\xAB", 3));
}

TEST_CASE("CertificateToPem output reads back as the same certificate", "[common][x509]") {
  common::Rng rng(1);
  const auto key = common::GenerateP256Key();
  const auto cert = common::MintSelfSigned(ServerSpec(), key.get(), rng);
  REQUIRE(cert.ok());
  const std::string pem = common::CertificateToPem(cert.value().get());
  CHECK_THAT(pem, Catch::StartsWith("-----BEGIN CERTIFICATE-----"));

  common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  common::X509Ptr back(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  REQUIRE(back != nullptr);
  CHECK(X509_cmp(back.get(), cert.value().get()) == 0);

  CHECK_THAT(common::PrivateKeyToPem(key.get()), Catch::StartsWith("-----BEGIN PRIVATE KEY-----"));
}

TEST_CASE("ReadCertificatePemFile reports a missing file", "[common][x509]") {
  const auto cert = common::ReadCertificatePemFile("/nonexistent/anvil/cert.pem");
  REQUIRE_FALSE(cert.ok());
  CHECK_THAT(cert.error(), Catch::Contains("cannot open /nonexistent/anvil/cert.pem"));
  const auto key = common::ReadPrivateKeyPemFile("/nonexistent/anvil/key.pem");
  REQUIRE_FALSE(key.ok());
  CHECK_THAT(key.error(), Catch::Contains("cannot open"));
}

}  // namespace

}  // namespace x509_builder_test
