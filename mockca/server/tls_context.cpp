#include "mockca/server/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "common/openssl_holders.hpp"
#include "common/x509_builder.hpp"

namespace mockca::server {

common::Result<std::shared_ptr<boost::asio::ssl::context>, std::string> TlsContextFromPem(
    std::string_view cert_pem, std::string_view key_pem, const std::string& what) {
  auto context = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  common::BioPtr cert_bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  common::X509Ptr leaf(
      PEM_read_bio_X509(cert_bio.get(), nullptr, common::NoPemPassphrase, nullptr));
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) {
    ERR_clear_error();
    return common::MakeErr(what + ": no PEM certificate");
  }
  while (X509* extra =
             PEM_read_bio_X509(cert_bio.get(), nullptr, common::NoPemPassphrase, nullptr)) {
    // Takes ownership on success only; one refused (below the security level) is left out.
    if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) {
      X509_free(extra);
    }
  }
  ERR_clear_error();  // the loop ends on a "no start line" error
  common::BioPtr key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  common::EvpPkeyPtr key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, common::NoPemPassphrase, nullptr));
  if (!key) {
    ERR_clear_error();
    return common::MakeErr(what + ": no unencrypted PEM private key");
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return common::MakeErr(what + ": the private key does not match the certificate");
  }
  return context;
}

}  // namespace mockca::server
