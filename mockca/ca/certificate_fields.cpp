#include "mockca/ca/certificate_fields.hpp"

#include <openssl/x509v3.h>

namespace mockca::ca {

namespace {

// A new v3 certificate with serial and validity and no key yet.
common::Result<common::X509Ptr, std::string> NewUnkeyedCertificate(common::Rng& rng,
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
                                std::chrono::system_clock::to_time_t(not_after)) != nullptr;
  if (!ok) {
    return common::MakeErr("setting serial or validity: " + common::OpenSslErrorText());
  }
  return cert;
}

// A copy of an AlgorithmIdentifier's parameters as X509_ALGOR_set0 takes them (ptype says which
// ASN.1 type pval points to: an OID for EC keys, nothing for RSA and Ed25519, a SEQUENCE for
// RSA-PSS). False when the type is one no CSR key has.
bool CopyParameters(int ptype, const void* pval, void** copy) {
  *copy = nullptr;
  switch (ptype) {
    case V_ASN1_UNDEF:
    case V_ASN1_NULL:
      return true;
    case V_ASN1_OBJECT:
      *copy = OBJ_dup(static_cast<const ASN1_OBJECT*>(pval));
      return *copy != nullptr;
    case V_ASN1_SEQUENCE:
      *copy = ASN1_STRING_dup(static_cast<const ASN1_STRING*>(pval));
      return *copy != nullptr;
    default:
      return false;
  }
}

// Sets cert's SubjectPublicKeyInfo to a copy of algorithm (with its parameters) and key bits.
bool CopyPublicKeyInfo(X509* cert, const X509_ALGOR* identifier, std::string_view bits) {
  if (bits.empty()) {
    return false;
  }
  const ASN1_OBJECT* algorithm = nullptr;
  int ptype = V_ASN1_UNDEF;
  const void* pval = nullptr;
  X509_ALGOR_get0(&algorithm, &ptype, &pval, identifier);
  void* parameters = nullptr;
  if (!CopyParameters(ptype, pval, &parameters)) {
    return false;
  }
  ASN1_OBJECT* algorithm_copy = OBJ_dup(algorithm);
  auto* bits_copy = static_cast<unsigned char*>(OPENSSL_memdup(bits.data(), bits.size()));
  if (algorithm_copy == nullptr || bits_copy == nullptr ||
      X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert), algorithm_copy, ptype, parameters,
                             bits_copy, static_cast<int>(bits.size())) != 1) {
    // On failure set0 took nothing: free what was copied.
    ASN1_OBJECT_free(algorithm_copy);
    OPENSSL_free(bits_copy);
    if (ptype == V_ASN1_OBJECT) {
      ASN1_OBJECT_free(static_cast<ASN1_OBJECT*>(parameters));
    } else if (ptype == V_ASN1_SEQUENCE) {
      ASN1_STRING_free(static_cast<ASN1_STRING*>(parameters));
    }
    return false;
  }
  return true;
}

}  // namespace

common::Result<common::X509Ptr, std::string> NewCertificate(common::Rng& rng, EVP_PKEY* public_key,
                                                            TimePoint not_before,
                                                            TimePoint not_after) {
  auto cert = NewUnkeyedCertificate(rng, not_before, not_after);
  if (cert && X509_set_pubkey(cert.value().get(), public_key) != 1) {
    return common::MakeErr("setting the public key: " + common::OpenSslErrorText());
  }
  return cert;
}

common::Result<common::X509Ptr, std::string> NewCertificate(common::Rng& rng,
                                                            const X509_ALGOR* key_algorithm,
                                                            std::string_view key_bits,
                                                            TimePoint not_before,
                                                            TimePoint not_after) {
  auto cert = NewUnkeyedCertificate(rng, not_before, not_after);
  if (cert && !CopyPublicKeyInfo(cert.value().get(), key_algorithm, key_bits)) {
    return common::MakeErr("copying the public key: " + common::OpenSslErrorText());
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
