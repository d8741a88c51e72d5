#include "mockca/ca/csr_der.hpp"

#include <openssl/asn1t.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

// The ASN.1 templates, in OpenSSL's own terms (crypto/x509/x_req.c and x_pubkey.c), with the key
// left undecoded. They are C structures named for the macros, so outside the C++ namespace.
extern "C" {

struct AnvilCsrKeyInfo {
  X509_ALGOR* algorithm;
  ASN1_BIT_STRING* bits;
};

struct AnvilCsrInfo {
  ASN1_ENCODING enc;  // the encoding as received: the signature covers these bytes
  ASN1_INTEGER* version;
  X509_NAME* subject;
  AnvilCsrKeyInfo* key;
  STACK_OF(X509_ATTRIBUTE) * attributes;
};

struct AnvilCsr {
  AnvilCsrInfo* info;
  X509_ALGOR* signature_algorithm;
  ASN1_BIT_STRING* signature;
};

// The macros read to clang-format as declarations; their layout is OpenSSL's.
// clang-format off
ASN1_SEQUENCE(AnvilCsrKeyInfo) = {
    ASN1_SIMPLE(AnvilCsrKeyInfo, algorithm, X509_ALGOR),
    ASN1_SIMPLE(AnvilCsrKeyInfo, bits, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(AnvilCsrKeyInfo)

ASN1_SEQUENCE_enc(AnvilCsrInfo, enc, nullptr) = {
    ASN1_SIMPLE(AnvilCsrInfo, version, ASN1_INTEGER),
    ASN1_SIMPLE(AnvilCsrInfo, subject, X509_NAME),
    ASN1_SIMPLE(AnvilCsrInfo, key, AnvilCsrKeyInfo),
    // Optional as in OpenSSL's X509_REQ_INFO, which accepts requests that leave it out.
    ASN1_IMP_SET_OF_OPT(AnvilCsrInfo, attributes, X509_ATTRIBUTE, 0),
} static_ASN1_SEQUENCE_END_ref(AnvilCsrInfo, AnvilCsrInfo)

ASN1_SEQUENCE(AnvilCsr) = {
    ASN1_SIMPLE(AnvilCsr, info, AnvilCsrInfo),
    ASN1_SIMPLE(AnvilCsr, signature_algorithm, X509_ALGOR),
    ASN1_SIMPLE(AnvilCsr, signature, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(AnvilCsr)
// clang-format on

}  // extern "C"

namespace mockca::ca {

void CsrDer::Free::operator()(AnvilCsr* request) const {
  ASN1_item_free(reinterpret_cast<ASN1_VALUE*>(request), ASN1_ITEM_rptr(AnvilCsr));
}

std::optional<CsrDer> CsrDer::Decode(std::string_view der, std::size_t* consumed) {
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* cursor = begin;
  ASN1_VALUE* value =
      ASN1_item_d2i(nullptr, &cursor, static_cast<long>(der.size()), ASN1_ITEM_rptr(AnvilCsr));
  if (value == nullptr) {
    return std::nullopt;
  }
  *consumed = static_cast<std::size_t>(cursor - begin);
  return CsrDer(reinterpret_cast<AnvilCsr*>(value));
}

const X509_NAME* CsrDer::subject() const {
  return request_->info->subject;
}

const X509_ALGOR* CsrDer::key_algorithm() const {
  return request_->info->key->algorithm;
}

std::string_view CsrDer::key_bits() const {
  const ASN1_BIT_STRING* bits = request_->info->key->bits;
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(bits)),
          static_cast<std::size_t>(ASN1_STRING_length(bits))};
}

const X509_ALGOR* CsrDer::signature_algorithm() const {
  return request_->signature_algorithm;
}

common::X509ExtensionStackPtr CsrDer::Extensions() const {
  const STACK_OF(X509_ATTRIBUTE)* attributes = request_->info->attributes;
  for (const int nid : {NID_ext_req, NID_ms_ext_req}) {
    const int index = X509at_get_attr_by_NID(attributes, nid, -1);
    if (index < 0) {
      continue;
    }
    const ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(X509at_get_attr(attributes, index), 0);
    if (value == nullptr || value->type != V_ASN1_SEQUENCE) {
      return nullptr;
    }
    const unsigned char* cursor = value->value.sequence->data;
    return common::X509ExtensionStackPtr(reinterpret_cast<STACK_OF(X509_EXTENSION)*>(ASN1_item_d2i(
        nullptr, &cursor, value->value.sequence->length, ASN1_ITEM_rptr(X509_EXTENSIONS))));
  }
  return common::X509ExtensionStackPtr(sk_X509_EXTENSION_new_null());
}

bool CsrDer::Verify(EVP_PKEY* key) const {
  return ASN1_item_verify(ASN1_ITEM_rptr(AnvilCsrInfo), request_->signature_algorithm,
                          request_->signature, request_->info, key) == 1;
}

}  // namespace mockca::ca
