#include "tests/mockca/ca/csr_builder.hpp"

#include <cstdio>
#include <cstdlib>

#include <openssl/core_names.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/x509_builder.hpp"

namespace mockca::ca::testing {
namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "csr_builder: %s: %s\n", what, common::OpenSslErrorText().c_str());
    std::abort();
  }
}

void AddSans(const CsrSpec& spec, STACK_OF(X509_EXTENSION) * extensions) {
  auto names = common::MakeSubjectAltNames(spec.dns_names, spec.ip_addresses);
  Require(names.ok(), "building SANs");
  for (const auto& uri : spec.uris) {
    GENERAL_NAME* name = GENERAL_NAME_new();
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    ASN1_STRING_set(text, uri.data(), static_cast<int>(uri.size()));
    GENERAL_NAME_set0_value(name, GEN_URI, text);
    sk_GENERAL_NAME_push(names.value().get(), name);
  }
  if (sk_GENERAL_NAME_num(names.value().get()) == 0) {
    return;
  }
  const int copies = spec.duplicate_san_extension ? 2 : 1;
  for (int i = 0; i < copies; ++i) {
    common::X509ExtensionPtr extension(
        X509V3_EXT_i2d(NID_subject_alt_name, 0, names.value().get()));
    Require(extension && sk_X509_EXTENSION_push(extensions, extension.get()) > 0, "SANs");
    extension.release();  // now owned by extensions
  }
}

void AddConfExtension(STACK_OF(X509_EXTENSION) * extensions, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  common::X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  Require(extension && sk_X509_EXTENSION_push(extensions, extension.get()) > 0, value);
  extension.release();  // now owned by extensions
}

}  // namespace

std::string BuildCsrDer(const CsrSpec& spec) {
  common::X509ReqPtr req(X509_REQ_new());
  Require(X509_REQ_set_version(req.get(), 0) == 1, "version");
  if (!spec.common_name.empty()) {
    X509_NAME* subject = X509_REQ_get_subject_name(req.get());
    Require(X509_NAME_add_entry_by_txt(
                subject, "CN", MBSTRING_UTF8,
                reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0) == 1,
            "CN");
  }
  EVP_PKEY* public_key = spec.public_key_override ? spec.public_key_override : spec.key;
  Require(X509_REQ_set_pubkey(req.get(), public_key) == 1, "pubkey");
  common::X509ExtensionStackPtr extensions(sk_X509_EXTENSION_new_null());
  AddSans(spec, extensions.get());
  if (spec.must_staple) {
    AddConfExtension(extensions.get(), NID_tlsfeature, "status_request");
  }
  if (spec.request_ca_extensions) {
    AddConfExtension(extensions.get(), NID_key_usage, "critical,keyCertSign");
    AddConfExtension(extensions.get(), NID_basic_constraints, "critical,CA:TRUE");
  }
  if (sk_X509_EXTENSION_num(extensions.get()) > 0) {
    Require(X509_REQ_add_extensions(req.get(), extensions.get()) == 1, "extensions");
  }
  Require(X509_REQ_sign(req.get(), spec.key, spec.digest) > 0, "sign");
  const int length = i2d_X509_REQ(req.get(), nullptr);
  Require(length > 0, "i2d");
  std::string der(static_cast<std::size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509_REQ(req.get(), &out);
  return der;
}

common::EvpPkeyPtr MakeKey(const std::string& kind) {
  common::EvpPkeyPtr key;
  if (kind == "RSA-1024") {
    key.reset(EVP_RSA_gen(1024));
  } else if (kind == "RSA-2048") {
    key.reset(EVP_RSA_gen(2048));
  } else if (kind == "Ed25519") {
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  } else {
    key.reset(EVP_EC_gen(kind.c_str()));
  }
  Require(key != nullptr, kind.c_str());
  return key;
}

common::EvpPkeyPtr RsaKeyWithExponent(EVP_PKEY* rsa_key, unsigned long exponent) {
  BIGNUM* raw_modulus = nullptr;
  Require(EVP_PKEY_get_bn_param(rsa_key, OSSL_PKEY_PARAM_RSA_N, &raw_modulus) == 1, "n");
  const common::BignumPtr modulus(raw_modulus);
  const common::BignumPtr public_exponent(BN_new());
  Require(BN_set_word(public_exponent.get(), exponent) == 1, "e");
  const common::OsslParamBldPtr builder(OSSL_PARAM_BLD_new());
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get());
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, public_exponent.get());
  const common::OsslParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  const common::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw_key = nullptr;
  Require(EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
              EVP_PKEY_fromdata(ctx.get(), &raw_key, EVP_PKEY_PUBLIC_KEY, params.get()) == 1,
          "fromdata");
  return common::EvpPkeyPtr(raw_key);
}

}  // namespace mockca::ca::testing
