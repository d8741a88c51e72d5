#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/x509_builder.hpp"
#include "mockca/ca/csr.hpp"
#include "tests/mockca/ca/csr_builder.hpp"

namespace csr_reject_test {

namespace {

using mockca::acme::ProblemType;
using mockca::ca::ParseCsr;
using mockca::ca::testing::BuildCsrDer;
using mockca::ca::testing::CsrSpec;
using mockca::ca::testing::MakeKey;
using mockca::ca::testing::RsaKeyWithExponent;

struct RejectCase {
  const char* name;
  std::string der;
  const char* detail;
};

// A valid P-256 CSR for dns_names, changed by edit.
template <typename Edit>
std::string P256Csr(EVP_PKEY* key, std::vector<std::string> dns_names, Edit edit) {
  CsrSpec spec;
  spec.key = key;
  spec.dns_names = std::move(dns_names);
  edit(spec);
  return BuildCsrDer(spec);
}

std::string P256Csr(EVP_PKEY* key, std::vector<std::string> dns_names) {
  return P256Csr(key, std::move(dns_names), [](CsrSpec&) {});
}

std::string KeyCsr(EVP_PKEY* key, const EVP_MD* digest) {
  return P256Csr(key, {"key.example"}, [digest](CsrSpec& spec) { spec.digest = digest; });
}

std::string CertificateDer(EVP_PKEY* key) {
  common::Rng rng(7);
  common::CertificateSpec spec;
  spec.common_name = "not a csr";
  spec.not_before = std::chrono::system_clock::now();
  spec.not_after = spec.not_before + std::chrono::hours(1);
  auto cert = common::MintSelfSigned(spec, key, rng);
  const int length = i2d_X509(cert.value().get(), nullptr);
  std::string der(static_cast<std::size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509(cert.value().get(), &out);
  return der;
}

// der with the first occurrence of from replaced by to (same length, so the DER stays well formed).
std::string Replaced(std::string der, const std::string& from, const std::string& to) {
  const std::size_t at = der.find(from);
  REQUIRE(at != std::string::npos);
  return der.replace(at, from.size(), to);
}

// The cases, built once: RSA key generation is slow, and Catch reruns the test case per section.
std::vector<RejectCase> BuildRejectCases() {
  const auto p256 = MakeKey("P-256");
  const auto rsa1024 = MakeKey("RSA-1024");
  const auto k256 = MakeKey("secp256k1");
  const auto p224 = MakeKey("P-224");
  const auto rsa2048 = MakeKey("RSA-2048");
  const auto even_exponent = RsaKeyWithExponent(rsa2048.get(), 65536);
  const auto unit_exponent = RsaKeyWithExponent(rsa2048.get(), 1);
  const std::string valid = P256Csr(p256.get(), {"valid.example"});
  std::string tampered = valid;
  tampered.back() = static_cast<char>(tampered.back() ^ 0x01);
  // The SubjectPublicKeyInfo's parts, DER: id-ecPublicKey, prime256v1, the point's bit string.
  const std::string ec_public_key("\x06\x07\x2a\x86\x48\xce\x3d\x02\x01", 9);
  const std::string p256_curve("\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07", 10);
  const std::string point_start("\x03\x42\x00\x04", 4);
  std::string off_curve = valid;
  const std::size_t point = off_curve.find(point_start);
  REQUIRE(point != std::string::npos);
  off_curve[point + point_start.size() + 40] ^= 0x01;  // a byte of y

  return {
      {"empty input", "", "empty"},
      {"truncated DER", valid.substr(0, valid.size() - 10), "not a DER PKCS#10"},
      {"trailing garbage", valid + "garbage", "7 trailing bytes"},
      {"a certificate instead of a CSR", CertificateDer(p256.get()), "not a DER PKCS#10"},
      {"a tampered signature byte", tampered, "does not verify"},
      {"a SHA-1 signature", KeyCsr(p256.get(), EVP_sha1()), "signature algorithm"},
      {"a SHA-224 signature", KeyCsr(p256.get(), EVP_sha224()), "signature algorithm"},
      {"an RSA-1024 key", KeyCsr(rsa1024.get(), EVP_sha256()), "1024 bits"},
      {"a secp256k1 key", KeyCsr(k256.get(), EVP_sha256()), "curve secp256k1"},
      {"a P-224 key", KeyCsr(p224.get(), EVP_sha256()), "curve secp224r1"},
      {"an even RSA exponent",
       P256Csr(rsa2048.get(), {"e.example"},
               [&](CsrSpec& spec) { spec.public_key_override = even_exponent.get(); }),
       "exponent"},
      {"an RSA exponent of 1",
       P256Csr(rsa2048.get(), {"e.example"},
               [&](CsrSpec& spec) { spec.public_key_override = unit_exponent.get(); }),
       "exponent"},
      {"a key algorithm OpenSSL does not know",
       Replaced(valid, ec_public_key, ec_public_key.substr(0, 8) + "\x02"),
       "key of type 1.2.840.10045.2.2"},
      {"an EC key on an unknown named curve",
       Replaced(valid, p256_curve, p256_curve.substr(0, 9) + "\x63"), "curve 1.2.840.10045.3.1.99"},
      {"an EC point off the curve", off_curve, "public key is malformed"},
      // RSA-2048's modulus INTEGER: its leading 00 octet becomes 80, a negative number.
      {"a negative RSA modulus",
       Replaced(P256Csr(rsa2048.get(), {"n.example"}), std::string("\x02\x82\x01\x01\x00", 5),
                std::string("\x02\x82\x01\x01\x80", 5)),
       "public key is malformed"},
      {"no names at all", P256Csr(p256.get(), {}), "names no identifier"},
      {"a wildcard in a middle label", P256Csr(p256.get(), {"a.*.example.com"}), "wildcard"},
      {"a partial wildcard label", P256Csr(p256.get(), {"w*.example.com"}), "wildcard"},
      {"a wildcard under a TLD", P256Csr(p256.get(), {"*.com"}), "top-level"},
      {"an empty label", P256Csr(p256.get(), {"a..example.com"}), "empty label"},
      {"a trailing dot", P256Csr(p256.get(), {"example.com."}), "empty label"},
      {"an underscore", P256Csr(p256.get(), {"a_b.example.com"}), "character"},
      {"a label starting with a hyphen", P256Csr(p256.get(), {"-a.example.com"}), "'-'"},
      {"an IP address in a dNSName (S-IP-05)", P256Csr(p256.get(), {"192.0.2.1"}), "IP address"},
      {"an IP CN without an iPAddress SAN (S-IP-05)",
       P256Csr(p256.get(), {"a.example"}, [](CsrSpec& spec) { spec.common_name = "192.0.2.1"; }),
       "without an iPAddress SAN"},
      {"a CN that is not a DNS name",
       P256Csr(p256.get(), {}, [](CsrSpec& spec) { spec.common_name = "My Server"; }), "character"},
      {"a URI SAN",
       P256Csr(p256.get(), {"a.example"},
               [](CsrSpec& spec) { spec.uris = {"https://a.example/"}; }),
       "uniformResourceIdentifier"},
      {"two subjectAltName extensions",
       P256Csr(p256.get(), {"a.example"},
               [](CsrSpec& spec) { spec.duplicate_san_extension = true; }),
       "twice"},
  };
}

// S-FIN-02 and S-FIN-05 (signature, algorithm, key policy), S-IP-05 and RFC 8555 §7.4 (names):
// every fault is badCSR with status 400 and a detail naming it.
TEST_CASE("ParseCsr rejects each malformed, weak or misnamed CSR with badCSR", "[ca][csr]") {
  static const std::vector<RejectCase> cases = BuildRejectCases();
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const auto info = ParseCsr(tc.der);
      REQUIRE_FALSE(info.ok());
      CHECK(info.error().type == ProblemType::kBadCsr);
      CHECK(info.error().status == 400);
      CHECK_THAT(info.error().detail, Catch::Matchers::Contains(tc.detail));
    }
  }
}

}  // namespace

}  // namespace csr_reject_test
