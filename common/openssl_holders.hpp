#pragma once

#include <memory>
#include <string>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace common {

// RAII holders for every OpenSSL object the project touches; a raw OpenSSL pointer never owns.
template <auto kFree>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const {
    kFree(p);
  }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using Asn1OctetStringPtr =
    std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<ASN1_OCTET_STRING_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>>;
using SslCtxPtr = std::unique_ptr<SSL_CTX, OpenSslDeleter<SSL_CTX_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OpenSslDeleter<X509_REQ_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<X509_STORE_CTX_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME_free>>;
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, OpenSslDeleter<ASN1_OBJECT_free>>;
using X509AlgorPtr = std::unique_ptr<X509_ALGOR, OpenSslDeleter<X509_ALGOR_free>>;
using AuthorityInfoAccessPtr =
    std::unique_ptr<AUTHORITY_INFO_ACCESS, OpenSslDeleter<AUTHORITY_INFO_ACCESS_free>>;
// X509_get1_ocsp's list of URLs.
struct OpenSslStringStackDeleter {
  void operator()(STACK_OF(OPENSSL_STRING) * urls) const { X509_email_free(urls); }
};
using OpenSslStringStackPtr = std::unique_ptr<STACK_OF(OPENSSL_STRING), OpenSslStringStackDeleter>;
using TlsFeaturePtr = std::unique_ptr<TLS_FEATURE, OpenSslDeleter<TLS_FEATURE_free>>;
using OsslParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OpenSslDeleter<OSSL_PARAM_BLD_free>>;
using OsslParamPtr = std::unique_ptr<OSSL_PARAM, OpenSslDeleter<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslDeleter<ECDSA_SIG_free>>;

// A string OpenSSL allocated (BN_bn2hex, i2s_ASN1_INTEGER, ...): freed with OPENSSL_free.
struct OpenSslStringDeleter {
  void operator()(char* p) const { OPENSSL_free(p); }
};
using OpenSslStringPtr = std::unique_ptr<char, OpenSslStringDeleter>;

// Stacks that own their elements (freed with pop_free).
inline void FreeX509ExtensionStack(STACK_OF(X509_EXTENSION) * stack) {
  sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free);
}
inline void FreeX509Stack(STACK_OF(X509) * stack) {
  sk_X509_pop_free(stack, X509_free);
}
inline void FreeAsn1TypeStack(STACK_OF(ASN1_TYPE) * stack) {
  sk_ASN1_TYPE_pop_free(stack, ASN1_TYPE_free);
}
using X509ExtensionStackPtr =
    std::unique_ptr<STACK_OF(X509_EXTENSION), OpenSslDeleter<FreeX509ExtensionStack>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), OpenSslDeleter<FreeX509Stack>>;
// d2i_ASN1_SEQUENCE_ANY's elements.
using Asn1TypeStackPtr = std::unique_ptr<STACK_OF(ASN1_TYPE), OpenSslDeleter<FreeAsn1TypeStack>>;

// The text of the most recent OpenSSL errors of this thread (and clears them), for log lines.
std::string OpenSslErrorText();

}  // namespace common
