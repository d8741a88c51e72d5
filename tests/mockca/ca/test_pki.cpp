#include "tests/mockca/ca/test_pki.hpp"

#include <arpa/inet.h>

#include <chrono>
#include <ctime>

#include <openssl/x509v3.h>

#include "common/openssl_holders.hpp"

namespace mockca::ca::testing {

constexpr std::chrono::seconds kClockSlack{60};

int VerifyChain(X509* leaf, const std::vector<X509*>& intermediates, X509* root, int purpose) {
  common::X509StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), root);
  common::X509StackPtr untrusted(sk_X509_new_null());
  for (X509* intermediate : intermediates) {
    X509_up_ref(intermediate);
    sk_X509_push(untrusted.get(), intermediate);
  }
  common::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get());
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  // At the wall clock plus a minute: a VM's clock stepped back a little by time sync made a leaf
  // issued a moment ago (notBefore = the fixture's start) fail as not yet valid (seen once in CI).
  X509_STORE_CTX_set_time(ctx.get(), 0, std::time(nullptr) + kClockSlack.count());
  if (X509_verify_cert(ctx.get()) == 1) {
    return X509_V_OK;
  }
  return X509_STORE_CTX_get_error(ctx.get());
}

std::vector<acme::Identifier> SubjectAltNames(X509* cert) {
  std::vector<acme::Identifier> identifiers;
  common::GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    int type = 0;
    auto* value = static_cast<ASN1_STRING*>(
        GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(names.get(), i), &type));
    const auto* data = ASN1_STRING_get0_data(value);
    if (type == GEN_DNS) {
      identifiers.push_back(
          {"dns", std::string(reinterpret_cast<const char*>(data),
                              static_cast<std::size_t>(ASN1_STRING_length(value)))});
    } else if (type == GEN_IPADD) {
      char text[INET6_ADDRSTRLEN] = {};
      inet_ntop(ASN1_STRING_length(value) == 4 ? AF_INET : AF_INET6, data, text, sizeof text);
      identifiers.push_back({"ip", text});
    } else {
      identifiers.push_back({"other", ""});
    }
  }
  return identifiers;
}

std::string SerialHex(X509* cert) {
  common::BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  const common::OpenSslStringPtr hex(BN_bn2hex(serial.get()));
  return std::string(hex.get());
}

bool SerialIsPositive(X509* cert) {
  common::BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  return !BN_is_negative(serial.get()) && !BN_is_zero(serial.get());
}

std::string CommonName(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) {
    return "";
  }
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                     static_cast<std::size_t>(ASN1_STRING_length(data)));
}

bool HasExtension(X509* cert, int nid) {
  return X509_get_ext_by_NID(cert, nid, -1) >= 0;
}

bool ExtensionIsCritical(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
}

}  // namespace mockca::ca::testing
