#include "mockca/wfe/ari_cert_id.hpp"

#include "mockca/jose/base64url.hpp"

namespace mockca::wfe {

acme::Result<CertId> ParseCertId(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || text.find('.', dot + 1) != std::string_view::npos) {
    return acme::Malformed("certID must be base64url(keyIdentifier) \".\" base64url(serial)");
  }
  auto key_id = jose::Base64UrlDecode(text.substr(0, dot), "certID keyIdentifier");
  if (!key_id) {
    return key_id.error();
  }
  auto serial = jose::Base64UrlDecode(text.substr(dot + 1), "certID serial");
  if (!serial) {
    return serial.error();
  }
  if (key_id->empty() || serial->empty()) {
    return acme::Malformed("certID has an empty keyIdentifier or serial");
  }
  // RFC 9773 §4.1: the serial's DER encoding without tag and length, so a positive serial whose
  // top bit is set keeps its leading 0x00 (C-ARI-01), and a redundant 0x00 is not DER.
  const auto first = static_cast<unsigned char>(serial->front());
  if (first >= 0x80) {
    return acme::Malformed(
        "certID serial is negative: a serial whose first octet is >= 0x80 needs the leading 0x00 "
        "of its DER encoding (RFC 9773 §4.1)");
  }
  if (first == 0 && serial->size() > 1 && static_cast<unsigned char>((*serial)[1]) < 0x80) {
    return acme::Malformed("certID serial has a leading 0x00 that DER does not allow");
  }
  return CertId{std::move(key_id).value(), std::move(serial).value()};
}

std::string FormatCertId(const CertId& id) {
  return jose::Base64UrlEncode(id.key_id) + "." + jose::Base64UrlEncode(id.serial);
}

std::string SerialHex(const CertId& id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(id.serial.size() * 2);
  for (const char c : id.serial) {
    const auto octet = static_cast<unsigned char>(c);
    hex += kDigits[octet >> 4];
    hex += kDigits[octet & 0x0f];
  }
  return hex;
}

}  // namespace mockca::wfe
