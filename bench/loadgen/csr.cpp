#include "bench/loadgen/csr.hpp"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/openssl_holders.hpp"
#include "common/x509_builder.hpp"

namespace bench {

common::Result<std::string, std::string> MakeP256Csr(const std::string& dns_name) {
  const common::EvpPkeyPtr key = common::GenerateP256Key();
  common::X509ReqPtr request(X509_REQ_new());
  if (!key || !request) {
    return common::MakeErr("CSR: " + common::OpenSslErrorText());
  }
  auto names = common::MakeSubjectAltNames({dns_name}, {});
  if (!names) {
    return common::MakeErr("CSR: " + names.error());
  }
  common::X509ExtensionStackPtr extensions(sk_X509_EXTENSION_new_null());
  common::X509ExtensionPtr san(X509V3_EXT_i2d(NID_subject_alt_name, 0, names->get()));
  if (!extensions || !san || sk_X509_EXTENSION_push(extensions.get(), san.get()) == 0) {
    return common::MakeErr("CSR: " + common::OpenSslErrorText());
  }
  san.release();  // now owned by extensions
  if (X509_REQ_set_version(request.get(), 0) != 1 ||
      X509_REQ_set_pubkey(request.get(), key.get()) != 1 ||
      X509_REQ_add_extensions(request.get(), extensions.get()) != 1 ||
      X509_REQ_sign(request.get(), key.get(), EVP_sha256()) <= 0) {
    return common::MakeErr("CSR: " + common::OpenSslErrorText());
  }
  unsigned char* der = nullptr;
  const int size = i2d_X509_REQ(request.get(), &der);
  if (size <= 0) {
    return common::MakeErr("CSR: " + common::OpenSslErrorText());
  }
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

}  // namespace bench
