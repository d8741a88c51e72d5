#include "mockca/ca/csr.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/ascii.hpp"
#include "common/ip_literal.hpp"
#include "mockca/ca/csr_names.hpp"

namespace mockca::ca {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;            // bounds the work of verifying a hostile CSR
constexpr int kTlsFeatureStatusRequest = 5;  // RFC 7633 §4.2, RFC 6066 status_request

struct SignatureAlgorithm {
  int nid;
  bool null_parameters_allowed;  // RFC 4055 §5: RSA PKCS#1 v1.5 takes NULL or absent parameters
};

// S-FIN-05: SHA-256 or better, RSA PKCS#1 v1.5 or ECDSA, plus Ed25519 (RFC 8410 §3).
constexpr std::array<SignatureAlgorithm, 7> kSignatureAlgorithms = {{
    {NID_sha256WithRSAEncryption, true},
    {NID_sha384WithRSAEncryption, true},
    {NID_sha512WithRSAEncryption, true},
    {NID_ecdsa_with_SHA256, false},
    {NID_ecdsa_with_SHA384, false},
    {NID_ecdsa_with_SHA512, false},
    {NID_ED25519, false},
}};

constexpr std::array<std::string_view, 3> kCurves = {"prime256v1", "secp384r1", "secp521r1"};

acme::Problem BadCsr(std::string detail) {
  ERR_clear_error();  // a failed parse or verify leaves OpenSSL errors that are not ours to report
  return acme::MakeProblem(acme::ProblemType::kBadCsr, std::move(detail));
}

acme::Result<common::X509ReqPtr> DecodeDer(std::string_view der) {
  if (der.empty()) {
    return BadCsr("CSR is empty");
  }
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* cursor = begin;
  common::X509ReqPtr req(d2i_X509_REQ(nullptr, &cursor, static_cast<long>(der.size())));
  if (!req) {
    return BadCsr("CSR is not a DER PKCS#10 CertificationRequest (RFC 2986)");
  }
  const auto consumed = static_cast<std::size_t>(cursor - begin);
  if (consumed != der.size()) {
    return BadCsr("CSR has " + std::to_string(der.size() - consumed) +
                  " trailing bytes after the DER CertificationRequest");
  }
  return req;
}

std::string ObjectText(const ASN1_OBJECT* object) {
  char text[128] = {};
  OBJ_obj2txt(text, sizeof text, object, 0);
  return text;
}

// S-FIN-05: the signature algorithm and its parameters.
acme::Status CheckSignatureAlgorithm(const X509_REQ* req) {
  const ASN1_BIT_STRING* signature = nullptr;
  const X509_ALGOR* algorithm = nullptr;
  X509_REQ_get0_signature(req, &signature, &algorithm);
  const ASN1_OBJECT* object = nullptr;
  int parameter_type = V_ASN1_UNDEF;
  X509_ALGOR_get0(&object, &parameter_type, nullptr, algorithm);
  const int nid = OBJ_obj2nid(object);
  const auto* accepted = std::find_if(kSignatureAlgorithms.begin(), kSignatureAlgorithms.end(),
                                      [nid](const SignatureAlgorithm& a) { return a.nid == nid; });
  if (accepted == kSignatureAlgorithms.end()) {
    return BadCsr("CSR signature algorithm " + ObjectText(object) +
                  " is not accepted; use SHA-256/384/512 with RSA or ECDSA, or Ed25519");
  }
  const bool parameters_ok = parameter_type == V_ASN1_UNDEF ||
                             (parameter_type == V_ASN1_NULL && accepted->null_parameters_allowed);
  if (!parameters_ok) {
    // RFC 5758 §3.2 and RFC 8410 §3: ECDSA and Ed25519 parameters MUST be absent.
    return BadCsr("CSR signature algorithm " + ObjectText(object) + " has invalid parameters");
  }
  return {};
}

acme::Status CheckRsaKey(const EVP_PKEY* key) {
  const int bits = EVP_PKEY_get_bits(key);
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return BadCsr("CSR has an RSA key of " + std::to_string(bits) +
                  " bits; accepted sizes are 2048 to 8192 bits");
  }
  BIGNUM* raw_exponent = nullptr;  // owned by exponent below at once
  const int got = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &raw_exponent);
  const common::BignumPtr exponent(raw_exponent);
  if (got != 1 || !BN_is_odd(exponent.get()) || BN_is_one(exponent.get())) {
    return BadCsr("CSR has an RSA key whose public exponent is even or 1");
  }
  return {};
}

// S-FIN-05 key policy (Let's Encrypt's, plus P-521 and Ed25519).
acme::Status CheckKeyPolicy(const EVP_PKEY* key) {
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA) {
    return CheckRsaKey(key);
  }
  if (id == EVP_PKEY_EC) {
    char group[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1 ||
        std::find(kCurves.begin(), kCurves.end(), std::string_view(group, length)) ==
            kCurves.end()) {
      return BadCsr(std::string("CSR has an EC key on curve ") + (length ? group : "(explicit)") +
                    "; accepted curves are P-256, P-384 and P-521");
    }
    return {};
  }
  if (id == EVP_PKEY_ED25519) {
    return {};
  }
  const char* name = EVP_PKEY_get0_type_name(key);
  return BadCsr(std::string("CSR has a key of type ") + (name ? name : "unknown") +
                "; accepted are RSA, ECDSA P-256/P-384/P-521 and Ed25519");
}

// Reads subjectAltName (into identifiers) and the Must-Staple TLS feature from the extension
// request; ignores every other requested extension (S-FIN-08: nothing else is copied).
acme::Status ReadExtensions(X509_REQ* req, CsrInfo& info) {
  const common::X509ExtensionStackPtr extensions(X509_REQ_get_extensions(req));
  if (!extensions) {
    return BadCsr("CSR has a malformed extensionRequest attribute (RFC 2985 §5.4.2)");
  }
  bool seen_san = false;
  for (int i = 0; i < sk_X509_EXTENSION_num(extensions.get()); ++i) {
    X509_EXTENSION* extension = sk_X509_EXTENSION_value(extensions.get(), i);
    const int nid = OBJ_obj2nid(X509_EXTENSION_get_object(extension));
    if (nid == NID_subject_alt_name) {
      // RFC 5280 §4.2: a certificate (and so a request for one) has each extension at most once.
      if (seen_san) {
        return BadCsr("CSR requests subjectAltName twice");
      }
      seen_san = true;
      const common::GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(extension)));
      if (!names) {
        return BadCsr("CSR has a malformed subjectAltName");
      }
      auto identifiers = IdentifiersFromSans(names.get());
      if (!identifiers) {
        return identifiers.error();
      }
      info.identifiers = std::move(identifiers).value();
    } else if (nid == NID_tlsfeature) {
      const common::TlsFeaturePtr features(static_cast<TLS_FEATURE*>(X509V3_EXT_d2i(extension)));
      if (!features) {
        return BadCsr("CSR has a malformed TLS feature extension (RFC 7633)");
      }
      for (int j = 0; j < sk_ASN1_INTEGER_num(features.get()); ++j) {
        if (ASN1_INTEGER_get(sk_ASN1_INTEGER_value(features.get(), j)) ==
            kTlsFeatureStatusRequest) {
          info.must_staple = true;
        }
      }
    }
  }
  return {};
}

// The subject commonName, if any. At most one is accepted, as a string type that carries text.
acme::Result<std::string> ReadCommonName(X509_REQ* req) {
  const X509_NAME* subject = X509_REQ_get_subject_name(req);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) {
    return std::string();
  }
  if (X509_NAME_get_index_by_NID(subject, NID_commonName, index) >= 0) {
    return BadCsr("CSR subject has more than one commonName");
  }
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  const int type = ASN1_STRING_type(data);
  if (type != V_ASN1_UTF8STRING && type != V_ASN1_PRINTABLESTRING && type != V_ASN1_IA5STRING) {
    return BadCsr("CSR commonName is not a UTF8String, PrintableString or IA5String");
  }
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                     static_cast<std::size_t>(ASN1_STRING_length(data)));
}

// RFC 8555 §7.4: the CN counts as a requested name unless it already is a SAN.
acme::Status AddCommonName(const std::string& common_name, CsrInfo& info) {
  if (common_name.empty()) {
    return {};
  }
  if (auto ip = common::CanonicalIp(common_name)) {
    // S-IP-05: an ip identifier must appear as an iPAddress SAN.
    const acme::Identifier identifier{"ip", *ip};
    if (std::find(info.identifiers.begin(), info.identifiers.end(), identifier) ==
        info.identifiers.end()) {
      return BadCsr("CSR commonName " + common_name + " is an IP address without an iPAddress SAN");
    }
    return {};
  }
  acme::Identifier identifier{"dns", common::AsciiLower(std::string(common_name))};
  if (auto fault = DnsNameFault(identifier.value)) {
    return BadCsr("CSR commonName \"" + identifier.value + "\" " + *fault);
  }
  if (std::find(info.identifiers.begin(), info.identifiers.end(), identifier) ==
      info.identifiers.end()) {
    info.identifiers.push_back(std::move(identifier));
  }
  return {};
}

// The names of the CSR: SANs, then the CN.
acme::Status ReadNames(X509_REQ* req, CsrInfo& info) {
  if (auto extensions = ReadExtensions(req, info); !extensions) {
    return extensions.error();
  }
  auto common_name = ReadCommonName(req);
  if (!common_name) {
    return common_name.error();
  }
  info.common_name = std::move(common_name).value();
  if (auto added = AddCommonName(info.common_name, info); !added) {
    return added.error();
  }
  if (info.identifiers.empty()) {
    return BadCsr("CSR names no identifier: no dNSName or iPAddress SAN and no commonName");
  }
  return {};
}

}  // namespace

acme::Result<CsrInfo> ParseCsr(std::string_view der) {
  auto req = DecodeDer(der);
  if (!req) {
    return req.error();
  }
  X509_REQ* raw = req.value().get();
  if (auto algorithm = CheckSignatureAlgorithm(raw); !algorithm) {
    return algorithm.error();
  }
  CsrInfo info;
  info.public_key.reset(X509_REQ_get_pubkey(raw));
  if (!info.public_key) {
    return BadCsr("CSR public key is malformed or of an unknown type");
  }
  if (auto policy = CheckKeyPolicy(info.public_key.get()); !policy) {
    return policy.error();
  }
  if (X509_REQ_verify(raw, info.public_key.get()) != 1) {
    return BadCsr("CSR signature does not verify with its public key");
  }
  if (auto names = ReadNames(raw, info); !names) {
    return names.error();
  }
  info.request = std::move(req).value();
  return info;
}

acme::Status CheckCsrAgainstOrder(const CsrInfo& csr,
                                  const std::vector<acme::Identifier>& order_identifiers,
                                  EVP_PKEY* account_key) {
  // RFC 8555 §11.1, S-FIN-04: the certificate key must not be the account key.
  if (account_key != nullptr && csr.public_key != nullptr &&
      EVP_PKEY_eq(csr.public_key.get(), account_key) == 1) {
    return BadCsr("CSR public key is the account key; use a separate certificate key");
  }
  // RFC 8555 §7.4, S-FIN-03: the CSR names exactly the order's identifiers, as sets.
  const auto as_set = [](const std::vector<acme::Identifier>& identifiers) {
    std::set<std::pair<std::string, std::string>> set;
    for (const auto& identifier : identifiers) {
      acme::Identifier normal = NormalizedIdentifier(identifier);
      set.emplace(std::move(normal.type), std::move(normal.value));
    }
    return set;
  };
  const auto in_order = as_set(order_identifiers);
  const auto in_csr = as_set(csr.identifiers);
  if (in_order == in_csr) {
    return {};
  }
  acme::Problem problem = BadCsr("CSR identifiers do not match the order's:");
  const auto report = [&problem](const auto& from, const auto& against, const char* what) {
    std::string list;
    for (const auto& [type, value] : from) {
      if (against.count({type, value}) == 0) {
        acme::Identifier identifier{type, value};
        list += (list.empty() ? " " : ", ") + IdentifierText(identifier);
        acme::Problem sub = BadCsr(std::string(what) + " " + IdentifierText(identifier));
        sub.identifier = std::move(identifier);
        problem.subproblems.push_back(std::move(sub));
      }
    }
    if (!list.empty()) {
      problem.detail += std::string(" ") + what + list + ";";
    }
  };
  report(in_order, in_csr, "missing from the CSR:");
  report(in_csr, in_order, "not in the order:");
  problem.detail.pop_back();  // the last ';'
  return problem;
}

}  // namespace mockca::ca
