#include "mockca/ca/renewal_facts.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "common/openssl_holders.hpp"
#include "mockca/ca/certificate_facts.hpp"

namespace mockca::ca {
namespace {

common::X509Ptr ParseDer(std::string_view der) {
  const auto* in = reinterpret_cast<const unsigned char*>(der.data());
  common::X509Ptr cert(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
  if (!cert || in != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    return nullptr;
  }
  return cert;
}

// An ASN1_TIME as a time point, or nullopt when OpenSSL cannot read it.
std::optional<TimePoint> ToTimePoint(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return std::nullopt;
  }
  // from_time_t overflows system_clock's nanoseconds outside 1677..2262 (a notAfter of 9999-12-31
  // is RFC 5280's "no well-defined expiration"): saturate instead.
  using std::chrono::system_clock;
  const std::time_t seconds = timegm(&tm);
  const auto latest = std::chrono::floor<std::chrono::seconds>(system_clock::time_point::max());
  const auto earliest = std::chrono::ceil<std::chrono::seconds>(system_clock::time_point::min());
  if (seconds > latest.time_since_epoch().count()) {
    return system_clock::time_point::max();
  }
  if (seconds < earliest.time_since_epoch().count()) {
    return system_clock::time_point::min();
  }
  return system_clock::from_time_t(seconds);
}

}  // namespace

std::vector<std::string> IssuerKeyIds(const CertificateAuthority& authority) {
  std::vector<std::string> ids;
  for (std::size_t chain = 0; chain < authority.ChainCount(); ++chain) {
    const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(authority.intermediate(chain));
    if (skid == nullptr) {
      continue;
    }
    std::string id(reinterpret_cast<const char*>(ASN1_STRING_get0_data(skid)),
                   static_cast<std::size_t>(ASN1_STRING_length(skid)));
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      ids.push_back(std::move(id));
    }
  }
  return ids;
}

acme::Result<Validity> CertificateValidity(std::string_view der) {
  const common::X509Ptr cert = ParseDer(der);
  if (!cert) {
    return acme::Malformed("not one DER X.509 certificate");
  }
  const auto not_before = ToTimePoint(X509_get0_notBefore(cert.get()));
  const auto not_after = ToTimePoint(X509_get0_notAfter(cert.get()));
  if (!not_before || !not_after) {
    return acme::Malformed("certificate validity is unreadable");
  }
  return Validity{*not_before, *not_after};
}

acme::Result<std::string> SerialHexFromPem(std::string_view pem) {
  common::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  common::X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) {
    return acme::Malformed("no PEM CERTIFICATE block holding an X.509 certificate");
  }
  std::string serial = SerialHex(cert.get());
  if (serial.empty()) {
    return acme::Malformed("certificate serial is unreadable");
  }
  return serial;
}

}  // namespace mockca::ca
