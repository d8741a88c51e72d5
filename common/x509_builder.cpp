#include "common/x509_builder.hpp"

#include <arpa/inet.h>

#include <cstdlib>

#include <openssl/ec.h>
#include <openssl/pem.h>

#include "common/ip_literal.hpp"

namespace common {
namespace {

std::string ToPem(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bool AddExtension(X509* cert, const RawExtension& raw) {
  Asn1ObjectPtr oid(OBJ_txt2obj(raw.oid.c_str(), 1));
  if (!oid) {
    return false;
  }
  Asn1OctetStringPtr value(ASN1_OCTET_STRING_new());
  ASN1_OCTET_STRING_set(value.get(), raw.der_value.data(), static_cast<int>(raw.der_value.size()));
  X509ExtensionPtr extension(
      X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), raw.critical, value.get()));
  return extension && X509_add_ext(cert, extension.get(), -1) == 1;
}

bool AddNidExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return extension && X509_add_ext(cert, extension.get(), -1) == 1;
}

}  // namespace

EvpPkeyPtr GenerateP256Key() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) {
    std::abort();  // key generation cannot fail on a working OpenSSL
  }
  return key;
}

Result<X509Ptr, std::string> MintSelfSigned(const CertificateSpec& spec, EVP_PKEY* key, Rng& rng) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  auto serial_bytes = rng.Bytes(16);
  serial_bytes[0] &= 0x7f;  // positive
  BignumPtr serial(BN_bin2bn(serial_bytes.data(), static_cast<int>(serial_bytes.size()), nullptr));
  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
  ASN1_TIME_set(X509_getm_notBefore(cert.get()),
                std::chrono::system_clock::to_time_t(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()),
                std::chrono::system_clock::to_time_t(spec.not_after));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (!spec.common_name.empty()) {
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1,
                               -1, 0);
  }
  X509_set_issuer_name(cert.get(), subject);
  X509_set_pubkey(cert.get(), key);

  auto names = MakeSubjectAltNames(spec.dns_names, spec.ip_addresses);
  if (!names) {
    return names.error();
  }
  if (sk_GENERAL_NAME_num(names.value().get()) > 0 &&
      X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.value().get(), 0, 0) != 1) {
    return MakeErr("adding subjectAltName: " + OpenSslErrorText());
  }
  const bool ok =
      spec.is_ca ? AddNidExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") &&
                       AddNidExtension(cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign")
                 : AddNidExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
                       AddNidExtension(cert.get(), NID_key_usage, "critical,digitalSignature") &&
                       AddNidExtension(cert.get(), NID_ext_key_usage, "serverAuth");
  if (!ok) {
    return MakeErr("adding extensions: " + OpenSslErrorText());
  }
  for (const auto& raw : spec.extensions) {
    if (!AddExtension(cert.get(), raw)) {
      return MakeErr("adding extension " + raw.oid + ": " + OpenSslErrorText());
    }
  }
  if (X509_sign(cert.get(), key, EVP_sha256()) == 0) {
    return MakeErr("signing: " + OpenSslErrorText());
  }
  return cert;
}

Result<GeneralNamesPtr, std::string> MakeSubjectAltNames(
    const std::vector<std::string>& dns_names, const std::vector<std::string>& ip_addresses) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  for (const auto& dns : dns_names) {
    GENERAL_NAME* name = GENERAL_NAME_new();
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    ASN1_STRING_set(text, dns.data(), static_cast<int>(dns.size()));
    GENERAL_NAME_set0_value(name, GEN_DNS, text);
    sk_GENERAL_NAME_push(names.get(), name);
  }
  for (const auto& ip : ip_addresses) {
    const auto bytes = IpOctets(ip);
    if (!bytes) {
      return MakeErr("not an IP address: " + ip);
    }
    GENERAL_NAME* name = GENERAL_NAME_new();
    ASN1_OCTET_STRING* octets = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(octets, bytes->data(), static_cast<int>(bytes->size()));
    GENERAL_NAME_set0_value(name, GEN_IPADD, octets);
    sk_GENERAL_NAME_push(names.get(), name);
  }
  return names;
}

std::string CertificateToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return ToPem(bio.get());
}

std::string CertificateDerToPem(const std::vector<std::uint8_t>& der) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_X509 writes its DER through this same call.
  PEM_write_bio(bio.get(), PEM_STRING_X509, "", der.data(), static_cast<long>(der.size()));
  return ToPem(bio.get());
}

std::string PrivateKeyToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return ToPem(bio.get());
}

int NoPemPassphrase(char* /*buffer*/, int /*size*/, int /*writing*/, void* /*user*/) {
  return -1;
}

Result<X509Ptr, std::string> ReadCertificatePemFile(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    return MakeErr("cannot open " + path);
  }
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, NoPemPassphrase, nullptr));
  if (!cert) {
    return MakeErr("no PEM certificate in " + path + ": " + OpenSslErrorText());
  }
  return cert;
}

Result<EvpPkeyPtr, std::string> ReadPrivateKeyPemFile(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    return MakeErr("cannot open " + path);
  }
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPemPassphrase, nullptr));
  if (!key) {
    return MakeErr("no PEM private key in " + path + ": " + OpenSslErrorText());
  }
  return key;
}

}  // namespace common
