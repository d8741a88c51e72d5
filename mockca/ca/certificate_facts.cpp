#include "mockca/ca/certificate_facts.hpp"

#include <cctype>
#include <utility>

#include <openssl/x509v3.h>

#include "mockca/ca/csr_names.hpp"

namespace mockca::ca {

std::string SerialHex(X509* cert) {
  common::BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!serial) {
    return {};
  }
  common::OpenSslStringPtr hex(BN_bn2hex(serial.get()));
  if (!hex) {
    return {};
  }
  std::string text(hex.get());
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
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
