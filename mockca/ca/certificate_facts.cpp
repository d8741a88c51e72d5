#include "mockca/ca/certificate_facts.hpp"

#include <utility>
#include <vector>

#include <openssl/x509v3.h>

#include "mockca/ca/csr_names.hpp"

namespace mockca::ca {

std::string SerialHex(X509* cert) {
  // The DER INTEGER's content octets: the magnitude, with a 0x00 sign octet when its top bit is
  // set (RFC 9773 certIDs and the management API key certificates the same way).
  common::BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!serial || BN_is_negative(serial.get())) {
    return {};
  }
  std::vector<unsigned char> octets(static_cast<std::size_t>(BN_num_bytes(serial.get())));
  BN_bn2bin(serial.get(), octets.data());
  if (octets.empty() || octets.front() >= 0x80) {
    octets.insert(octets.begin(), 0x00);
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char octet : octets) {
    hex += kDigits[octet >> 4];
    hex += kDigits[octet & 0x0f];
  }
  return hex;
}

acme::Result<CertificateFacts> InspectCertificate(std::string_view der) {
  const auto* in = reinterpret_cast<const unsigned char*>(der.data());
  common::X509Ptr cert(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
  if (!cert || in != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    return acme::Malformed("\"certificate\" is not one DER X.509 certificate");
  }
  CertificateFacts facts;
  facts.serial_hex = SerialHex(cert.get());
  facts.public_key.reset(X509_get_pubkey(cert.get()));
  if (facts.serial_hex.empty() || !facts.public_key) {
    return acme::Malformed("\"certificate\" has no usable serial or public key");
  }
  common::GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (names) {
    auto identifiers = IdentifiersFromSans(names.get());
    if (!identifiers) {
      return acme::Malformed("\"certificate\" has names this CA never issues: " +
                             identifiers.error().detail);
    }
    facts.identifiers = std::move(identifiers).value();
  }
  return facts;
}

}  // namespace mockca::ca
