#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include <openssl/x509.h>

#include "common/openssl_holders.hpp"

struct AnvilCsr;  // the decoded request: OpenSSL ASN.1 template structures (csr_der.cpp)

namespace mockca::ca {

// A PKCS#10 CertificationRequest (RFC 2986) decoded with OpenSSL's ASN.1 template decoder, as
// d2i_X509_REQ decodes it, except that the SubjectPublicKeyInfo stays an algorithm and a bit
// string: OpenSSL 3.0's X509_REQ also turns the key into an EVP_PKEY through its provider decoders,
// about 100 µs per request, more than checking the signature (bench/README.md, "Optimisations").
// The caller builds the key from the bits. Movable, not copyable.
class CsrDer {
 public:
  // der decoded as one CertificationRequest; *consumed = the bytes it took (trailing bytes are the
  // caller's to refuse). nullopt when der does not start with one.
  static std::optional<CsrDer> Decode(std::string_view der, std::size_t* consumed);

  const X509_NAME* subject() const;
  const X509_ALGOR* key_algorithm() const;
  // The subject public key's bits as encoded (an RSAPublicKey, an EC point, an Ed25519 key).
  std::string_view key_bits() const;
  const X509_ALGOR* signature_algorithm() const;
  // The requested extensions: those of the extensionRequest attribute (RFC 2985 §5.4.2; or
  // Microsoft's older one), an empty stack without one, null when the attribute is malformed (as
  // X509_REQ_get_extensions).
  common::X509ExtensionStackPtr Extensions() const;
  // Whether the signature verifies with key over the CertificationRequestInfo as received.
  bool Verify(EVP_PKEY* key) const;

 private:
  struct Free {
    void operator()(AnvilCsr* request) const;
  };
  explicit CsrDer(AnvilCsr* request) : request_(request) {}

  std::unique_ptr<AnvilCsr, Free> request_;
};

}  // namespace mockca::ca
