#include "mockca/ca/issuer.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

#include <openssl/x509v3.h>

#include "common/x509_builder.hpp"

namespace mockca::ca {
namespace {

// RFC 5280 Appendix A: ub-common-name.
constexpr std::size_t kMaxCommonName = 64;

// promoteCommonName: the first dns identifier, else the first ip; "" when there is neither or it
// does not fit a CN.
std::string PromotedCommonName(const std::vector<acme::Identifier>& identifiers) {
  std::string name;
  for (const char* type : {"dns", "ip"}) {
    const auto it = std::find_if(identifiers.begin(), identifiers.end(),
                                 [type](const acme::Identifier& id) { return id.type == type; });
    if (it != identifiers.end()) {
      name = it->value;
      break;
    }
  }
  return name.size() <= kMaxCommonName ? name : std::string();
}

common::Status<std::string> SetCommonName(X509* cert, const std::string& common_name) {
  X509_NAME* subject = X509_get_subject_name(cert);
  if (X509_NAME_add_entry_by_NID(subject, NID_commonName, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return "setting the subject CN: " + common::OpenSslErrorText();
  }
  return {};
}

// S-FIN-08: SANs exactly the order's identifiers. Critical when the subject is empty.
common::Status<std::string> AddSubjectAltNames(X509* cert,
                                               const std::vector<acme::Identifier>& identifiers,
                                               bool critical) {
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  for (const auto& identifier : identifiers) {
    if (identifier.type == "dns") {
      dns_names.push_back(identifier.value);
    } else if (identifier.type == "ip") {
      ip_addresses.push_back(identifier.value);
    } else {
      return "unknown identifier type " + identifier.type;
    }
  }
  auto names = common::MakeSubjectAltNames(dns_names, ip_addresses);
  if (!names) {
    return names.error();
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.value().get(), critical ? 1 : 0, 0) !=
      1) {
    return "adding subjectAltName: " + common::OpenSslErrorText();
  }
  return {};
}

// RFC 5280 §4.2.2.1: authorityInfoAccess with one id-ad-ocsp access description.
common::Status<std::string> AddOcspAccess(X509* cert, const std::string& url) {
  const common::AuthorityInfoAccessPtr access(AUTHORITY_INFO_ACCESS_new());
  ACCESS_DESCRIPTION* description = ACCESS_DESCRIPTION_new();
  if (!access || description == nullptr ||
      sk_ACCESS_DESCRIPTION_push(access.get(), description) <= 0) {
    ACCESS_DESCRIPTION_free(description);
    return "building authorityInfoAccess: " + common::OpenSslErrorText();
  }
  ASN1_OBJECT_free(description->method);
  description->method = OBJ_nid2obj(NID_ad_OCSP);
  ASN1_IA5STRING* uri = ASN1_IA5STRING_new();
  if (uri == nullptr || ASN1_STRING_set(uri, url.data(), static_cast<int>(url.size())) != 1) {
    ASN1_IA5STRING_free(uri);
    return "building authorityInfoAccess: " + common::OpenSslErrorText();
  }
  GENERAL_NAME_set0_value(description->location, GEN_URI, uri);
  if (X509_add1_ext_i2d(cert, NID_info_access, access.get(), 0, 0) != 1) {
    return "adding authorityInfoAccess: " + common::OpenSslErrorText();
  }
  return {};
}

bool AddLeafExtensions(X509* cert, X509* issuer_cert, const CsrInfo& csr) {
  const bool rsa = EVP_PKEY_get_base_id(csr.public_key.get()) == EVP_PKEY_RSA;
  return AddConfExtension(
             cert, issuer_cert, NID_key_usage,
             rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature") &&
         AddConfExtension(cert, issuer_cert, NID_ext_key_usage, "serverAuth") &&
         AddConfExtension(cert, issuer_cert, NID_basic_constraints, "critical,CA:FALSE") &&
         AddConfExtension(cert, issuer_cert, NID_subject_key_identifier, "hash") &&
         AddConfExtension(cert, issuer_cert, NID_authority_key_identifier, "keyid:always") &&
         (!csr.must_staple ||
          AddConfExtension(cert, issuer_cert, NID_tlsfeature, "status_request"));
}

}  // namespace

common::Result<common::X509Ptr, std::string> IssueLeaf(
    const CsrInfo& csr, const std::vector<acme::Identifier>& identifiers, EVP_PKEY* issuer_key,
    X509* issuer_cert, TimePoint not_before, TimePoint not_after, common::Rng& rng,
    const LeafOptions& options) {
  if (identifiers.empty()) {
    return common::MakeErr("no identifiers to issue for");
  }
  if (!csr.public_key) {
    return common::MakeErr("the CSR has no public key");
  }
  auto cert =
      csr.key_algorithm != nullptr
          ? NewCertificate(rng, csr.key_algorithm.get(), csr.key_bits, not_before, not_after)
          : NewCertificate(rng, csr.public_key.get(), not_before, not_after);
  if (!cert) {
    return cert.error();
  }
  X509* raw = cert.value().get();
  if (X509_set_issuer_name(raw, X509_get_subject_name(issuer_cert)) != 1) {
    return common::MakeErr("setting issuer: " + common::OpenSslErrorText());
  }
  const std::string common_name =
      options.promote_common_name ? PromotedCommonName(identifiers) : std::string();
  if (!common_name.empty()) {
    if (auto cn = SetCommonName(raw, common_name); !cn) {
      return cn.error();
    }
  }
  if (auto names = AddSubjectAltNames(raw, identifiers, common_name.empty()); !names) {
    return names.error();
  }
  if (!AddLeafExtensions(raw, issuer_cert, csr)) {
    return common::MakeErr("adding extensions: " + common::OpenSslErrorText());
  }
  if (!options.ocsp_responder_url.empty()) {
    if (auto ocsp = AddOcspAccess(raw, options.ocsp_responder_url); !ocsp) {
      return ocsp.error();
    }
  }
  if (auto signed_ok = SignCertificate(raw, issuer_key); !signed_ok) {
    return signed_ok.error();
  }
  return std::move(cert).value();
}

std::string ChainPem(X509* leaf, const std::vector<X509*>& intermediates) {
  std::string pem = common::CertificateToPem(leaf);
  for (X509* intermediate : intermediates) {
    pem += common::CertificateToPem(intermediate);
  }
  return pem;
}

}  // namespace mockca::ca
