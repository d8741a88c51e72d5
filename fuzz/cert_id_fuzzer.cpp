// mockca::wfe::ParseCertId, the ARI certID of a renewalInfo path (RFC 9773 §4.1:
// "<base64url(keyIdentifier)>.<base64url(serial)>") and of newOrder's `replaces`.
//
// Input: the certID text. Oracles: a refused certID is malformed with status 400 and a detail; an
// accepted one has exactly one '.', a non-empty keyIdentifier and serial, a serial that is the
// content of a positive minimal DER INTEGER (first octet < 0x80, no needless leading 0x00), formats
// (FormatCertId) to text that parses back to the same certID and formats the same again, and its
// SerialHex is the serial_hex (ca::SerialHex) the store keys a certificate of that serial by, so a
// certID always finds the certificate it names.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "fuzz/fuzz_check.hpp"
#include "mockca/ca/certificate_facts.hpp"
#include "mockca/wfe/ari_cert_id.hpp"

namespace {

namespace wfe = mockca::wfe;
using mockca::acme::ProblemType;

// ca::SerialHex of a certificate whose serial is the positive integer with these octets.
std::string StoreSerialHex(const std::string& serial) {
  const common::BignumPtr number(BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()),
                                           static_cast<int>(serial.size()), nullptr));
  FUZZ_CHECK(number != nullptr);
  ASN1_INTEGER* integer = BN_to_ASN1_INTEGER(number.get(), nullptr);
  FUZZ_CHECK(integer != nullptr);
  const common::X509Ptr cert(X509_new());
  FUZZ_CHECK(cert != nullptr && X509_set_serialNumber(cert.get(), integer) == 1);
  ASN1_INTEGER_free(integer);
  return mockca::ca::SerialHex(cert.get());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto id = wfe::ParseCertId(text);
  if (!id) {
    FUZZ_CHECK(id.error().type == ProblemType::kMalformed);
    FUZZ_CHECK(id.error().status == 400);
    FUZZ_CHECK(!id.error().detail.empty());
    return 0;
  }
  FUZZ_CHECK(std::count(text.begin(), text.end(), '.') == 1);
  const wfe::CertId& parsed = id.value();
  FUZZ_CHECK(!parsed.key_id.empty() && !parsed.serial.empty());
  const auto first = static_cast<unsigned char>(parsed.serial[0]);
  FUZZ_CHECK(first < 0x80);
  FUZZ_CHECK(first != 0 || parsed.serial.size() == 1 ||
             static_cast<unsigned char>(parsed.serial[1]) >= 0x80);

  const std::string formatted = wfe::FormatCertId(parsed);
  const auto again = wfe::ParseCertId(formatted);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.value().key_id == parsed.key_id && again.value().serial == parsed.serial);
  FUZZ_CHECK(wfe::FormatCertId(again.value()) == formatted);

  FUZZ_CHECK(wfe::SerialHex(parsed) == StoreSerialHex(parsed.serial));
  return 0;
}
