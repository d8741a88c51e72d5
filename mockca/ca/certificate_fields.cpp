#include "mockca/ca/certificate_fields.hpp"

#include <openssl/x509v3.h>

namespace mockca::ca {

common::Result<common::X509Ptr, std::string> NewCertificate(common::Rng& rng, EVP_PKEY* public_key,
                                                            TimePoint not_before,
                                                            TimePoint not_after) {
  if (not_after < not_before) {
    return common::MakeErr("notAfter is before notBefore");
  }
  common::X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return common::MakeErr("X509_new: " + common::OpenSslErrorText());
  }
  auto serial_bytes = rng.Bytes(16);
  serial_bytes[0] = static_cast<std::uint8_t>((serial_bytes[0] & 0x7f) | 0x40);  // positive
  common::BignumPtr serial(
      BN_bin2bn(serial_bytes.data(), static_cast<int>(serial_bytes.size()), nullptr));
  const bool ok = serial &&
                  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr &&
                  ASN1_TIME_set(X509_getm_notBefore(cert.get()),
                                std::chrono::system_clock::to_time_t(not_before)) != nullptr &&
                  ASN1_TIME_set(X509_getm_notAfter(cert.get()),
                                std::chrono::system_clock::to_time_t(not_after)) != nullptr &&
                  X509_set_pubkey(cert.get(), public_key) == 1;
  if (!ok) {
    return common::MakeErr("setting serial, validity or key: " + common::OpenSslErrorText());
  }
  return cert;
}

bool SetSubjectCommonName(X509* cert, const std::string& common_name) {
  X509_NAME* subject = X509_get_subject_name(cert);
  return X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                    -1, 0) == 1;
}

bool AddConfExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  common::X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return extension && X509_add_ext(cert, extension.get(), -1) == 1;
}

const EVP_MD* SigningDigest(EVP_PKEY* key) {
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) {
    return nullptr;
  }
  return EVP_sha256();
}

common::Status<std::string> SignCertificate(X509* cert, EVP_PKEY* issuer_key) {
  if (X509_sign(cert, issuer_key, SigningDigest(issuer_key)) <= 0) {
    return "signing: " + common::OpenSslErrorText();
  }
  return {};
}

}  // namespace mockca::ca
