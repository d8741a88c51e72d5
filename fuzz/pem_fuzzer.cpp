// The certificate and key readers that take outside PEM or DER:
//  - byte 0 % 3 == 0: ca::SerialHexFromPem, the management API's /set-renewal-info certificate;
//  - byte 0 % 3 == 1: ca::InspectCertificate and ca::CertificateValidity, revokeCert's and
//    renewalInfo's DER certificate (and newOrder's `replaces` lookup);
//  - byte 0 % 3 == 2: common::ReadCertificatePemFile and ReadPrivateKeyPemFile, the readers of
//    mockdns's -doh-cert/-doh-cert-key (through an in-memory file); the rest is "<cert
//    PEM>\n%%\n<key PEM>". mockca's --tls-cert/--tls-key go through the same OpenSSL PEM readers in
//    TlsContextFromPem, which is private to mockca_server.cpp.
// Oracles: a refusal is malformed with status 400 (or, for the file readers, an error naming the
// file); a serial is non-empty lowercase hex of whole octets, of a positive minimal DER INTEGER
// (first octet < 0x80, no needless leading 0x00); a DER certificate InspectCertificate accepts has
// a public key and only dns/ip identifiers, and has the same serial when read back through
// SerialHexFromPem from its PEM form; the PEM form of a certificate SerialHexFromPem accepts gives
// InspectCertificate the same serial (when InspectCertificate accepts it); every reader is
// deterministic.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "common/x509_builder.hpp"
#include "fuzz/fuzz_check.hpp"
#include "fuzz/split_input.hpp"
#include "mockca/ca/certificate_facts.hpp"
#include "mockca/ca/renewal_facts.hpp"

namespace {

namespace ca = mockca::ca;
using mockca::acme::ProblemType;

bool IsSerialHex(const std::string& hex) {
  if (hex.empty() || hex.size() % 2 != 0) {
    return false;
  }
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  // First octet < 0x80; a leading 00 only before an octet >= 0x80 (or alone: serial 0).
  return hex[0] <= '7' && (hex.compare(0, 2, "00") != 0 || hex.size() == 2 || hex[2] >= '8');
}

template <typename T>
void CheckRefusal(const mockca::acme::Result<T>& result) {
  FUZZ_CHECK(result.error().type == ProblemType::kMalformed);
  FUZZ_CHECK(result.error().status == 400);
  FUZZ_CHECK(!result.error().detail.empty());
}

std::string ToPem(X509* cert) {
  common::BioPtr bio(BIO_new(BIO_s_mem()));
  FUZZ_CHECK(PEM_write_bio_X509(bio.get(), cert) == 1);
  char* bytes = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &bytes);
  return std::string(bytes, static_cast<std::size_t>(size));
}

std::string ToDer(X509* cert) {
  unsigned char* der = nullptr;
  const int size = i2d_X509(cert, &der);
  FUZZ_CHECK(size > 0);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

void CheckPem(std::string_view pem) {
  const auto serial = ca::SerialHexFromPem(pem);
  const auto again = ca::SerialHexFromPem(pem);
  FUZZ_CHECK(serial.ok() == again.ok());
  if (!serial) {
    CheckRefusal(serial);
    ERR_clear_error();
    return;
  }
  FUZZ_CHECK(serial.value() == again.value());
  FUZZ_CHECK(IsSerialHex(serial.value()));
  common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  const common::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  FUZZ_CHECK(cert != nullptr);
  const auto facts = ca::InspectCertificate(ToDer(cert.get()));
  if (facts) {
    FUZZ_CHECK(facts.value().serial_hex == serial.value());
  }
  ERR_clear_error();
}

void CheckDer(std::string_view der) {
  const auto facts = ca::InspectCertificate(der);
  const auto validity = ca::CertificateValidity(der);
  FUZZ_CHECK(facts.ok() == ca::InspectCertificate(der).ok());
  if (!validity) {
    CheckRefusal(validity);
  }
  if (!facts) {
    CheckRefusal(facts);
    ERR_clear_error();
    return;
  }
  FUZZ_CHECK(IsSerialHex(facts.value().serial_hex));
  FUZZ_CHECK(facts.value().public_key != nullptr);
  for (const auto& identifier : facts.value().identifiers) {
    FUZZ_CHECK(identifier.type == "dns" || identifier.type == "ip");
    FUZZ_CHECK(!identifier.value.empty());
  }
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  const common::X509Ptr cert(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  FUZZ_CHECK(cert != nullptr);
  const auto from_pem = ca::SerialHexFromPem(ToPem(cert.get()));
  FUZZ_CHECK(from_pem.ok() && from_pem.value() == facts.value().serial_hex);
  ERR_clear_error();
}

// text as a file the readers can open: one memfd per role for the process, rewritten per input
// (statics because the descriptors are reused across inputs; nothing else persists).
std::string AsFile(int fd, std::string_view text) {
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(ftruncate(fd, 0) == 0);
  FUZZ_CHECK(pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()));
  return "/proc/self/fd/" + std::to_string(fd);
}

void CheckFiles(std::string_view input) {
  static const int cert_fd = memfd_create("cert-pem", 0);
  static const int key_fd = memfd_create("key-pem", 0);
  const auto [cert_pem, key_pem] = SplitInput(input);
  const std::string cert_path = AsFile(cert_fd, cert_pem);
  const std::string key_path = AsFile(key_fd, key_pem);
  const auto cert = common::ReadCertificatePemFile(cert_path);
  const auto key = common::ReadPrivateKeyPemFile(key_path);
  FUZZ_CHECK(cert.ok() == common::ReadCertificatePemFile(cert_path).ok());
  FUZZ_CHECK(key.ok() == common::ReadPrivateKeyPemFile(key_path).ok());
  if (cert) {
    FUZZ_CHECK(cert.value() != nullptr);
    CheckDer(ToDer(cert.value().get()));
  } else {
    FUZZ_CHECK(cert.error().find(cert_path) != std::string::npos);
  }
  if (key) {
    FUZZ_CHECK(key.value() != nullptr);
  } else {
    FUZZ_CHECK(key.error().find(key_path) != std::string::npos);
  }
  ERR_clear_error();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  if (size == 0) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      CheckPem(input);
      break;
    case 1:
      CheckDer(input);
      break;
    default:
      CheckFiles(input);
      break;
  }
  return 0;
}
