#include "mockca/ca/csr.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <set>
#include <utility>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/ascii.hpp"
#include "common/ip_literal.hpp"
#include "common/public_key_from_data.hpp"
#include "mockca/ca/csr_der.hpp"
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

acme::Result<CsrDer> DecodeDer(std::string_view der) {
  if (der.empty()) {
    return BadCsr("CSR is empty");
  }
  std::size_t consumed = 0;
  std::optional<CsrDer> csr = CsrDer::Decode(der, &consumed);
  if (!csr) {
    return BadCsr("CSR is not a DER PKCS#10 CertificationRequest (RFC 2986)");
  }
  if (consumed != der.size()) {
    return BadCsr("CSR has " + std::to_string(der.size() - consumed) +
                  " trailing bytes after the DER CertificationRequest");
  }
  return std::move(csr).value();
}

std::string ObjectText(const ASN1_OBJECT* object) {
  char text[128] = {};
  OBJ_obj2txt(text, sizeof text, object, 0);
  return text;
}

// S-FIN-05: the signature algorithm and its parameters.
acme::Status CheckSignatureAlgorithm(const X509_ALGOR* algorithm) {
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

acme::Problem MalformedKey() {
  return BadCsr("CSR public key is malformed or of an unknown type");
}

// RFC 3447 A.1.1 RSAPublicKey: SEQUENCE { modulus INTEGER, publicExponent INTEGER }, both positive.
acme::Result<common::EvpPkeyPtr> RsaKey(std::string_view bits) {
  const auto* begin = reinterpret_cast<const unsigned char*>(bits.data());
  const unsigned char* cursor = begin;
  const common::Asn1TypeStackPtr sequence(
      d2i_ASN1_SEQUENCE_ANY(nullptr, &cursor, static_cast<long>(bits.size())));
  if (!sequence || cursor != begin + bits.size() || sk_ASN1_TYPE_num(sequence.get()) != 2) {
    return MalformedKey();
  }
  common::BignumPtr numbers[2];
  for (int i = 0; i < 2; ++i) {
    const ASN1_TYPE* number = sk_ASN1_TYPE_value(sequence.get(), i);
    if (number->type != V_ASN1_INTEGER) {
      return MalformedKey();
    }
    numbers[i].reset(ASN1_INTEGER_to_BN(number->value.integer, nullptr));
    if (!numbers[i] || BN_is_negative(numbers[i].get())) {
      return MalformedKey();
    }
  }
  const BIGNUM* n = numbers[0].get();
  const BIGNUM* e = numbers[1].get();
  const int size = BN_num_bits(n);
  if (size < kMinRsaBits || size > kMaxRsaBits) {
    return BadCsr("CSR has an RSA key of " + std::to_string(size) +
                  " bits; accepted sizes are 2048 to 8192 bits");
  }
  if (!BN_is_odd(e) || BN_is_one(e)) {
    return BadCsr("CSR has an RSA key whose public exponent is even or 1");
  }
  common::EvpPkeyPtr key = common::RsaPublicKeyFromData(n, e);
  if (!key) {
    return MalformedKey();
  }
  return key;
}

// RFC 5480 §2.1.1: id-ecPublicKey with a namedCurve, the point as the bits.
acme::Result<common::EvpPkeyPtr> EcKey(int parameter_type, const void* parameter,
                                       std::string_view bits) {
  if (parameter_type == V_ASN1_SEQUENCE) {
    return BadCsr(
        "CSR has an EC key on curve (explicit); accepted curves are P-256, P-384 and P-521");
  }
  if (parameter_type != V_ASN1_OBJECT) {
    return MalformedKey();
  }
  const auto* curve = static_cast<const ASN1_OBJECT*>(parameter);
  const int nid = OBJ_obj2nid(curve);
  const char* name = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
  if (name == nullptr || std::find(kCurves.begin(), kCurves.end(), name) == kCurves.end()) {
    return BadCsr("CSR has an EC key on curve " + (name ? std::string(name) : ObjectText(curve)) +
                  "; accepted curves are P-256, P-384 and P-521");
  }
  common::EvpPkeyPtr key = common::EcPublicKeyFromData(name, bits);
  if (!key) {
    return MalformedKey();  // not a point on the curve
  }
  return key;
}

// RFC 8410 §4: id-Ed25519 without parameters, the 32-byte key as the bits.
acme::Result<common::EvpPkeyPtr> Ed25519Key(int parameter_type, std::string_view bits) {
  if (parameter_type != V_ASN1_UNDEF) {
    return MalformedKey();
  }
  common::EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(bits.data()), bits.size()));
  if (!key) {
    return MalformedKey();
  }
  return key;
}

// S-FIN-05 key policy (Let's Encrypt's, plus P-521 and Ed25519): the subject public key, built from
// its numbers (no OpenSSL decoder).
acme::Result<common::EvpPkeyPtr> PublicKeyOf(const CsrDer& csr) {
  const ASN1_OBJECT* object = nullptr;
  int parameter_type = V_ASN1_UNDEF;
  const void* parameter = nullptr;
  X509_ALGOR_get0(&object, &parameter_type, &parameter, csr.key_algorithm());
  const std::string_view bits = csr.key_bits();
  const int nid = OBJ_obj2nid(object);
  switch (nid) {
    case NID_rsaEncryption:
      return RsaKey(bits);
    case NID_X9_62_id_ecPublicKey:
      return EcKey(parameter_type, parameter, bits);
    case NID_ED25519:
      return Ed25519Key(parameter_type, bits);
    default:
      return BadCsr("CSR has a key of type " +
                    (nid == NID_undef ? ObjectText(object) : std::string(OBJ_nid2sn(nid))) +
                    "; accepted are RSA, ECDSA P-256/P-384/P-521 and Ed25519");
  }
}

// Reads subjectAltName (into identifiers) and the Must-Staple TLS feature from the extension
// request; ignores every other requested extension (S-FIN-08: nothing else is copied).
acme::Status ReadExtensions(const CsrDer& csr, CsrInfo& info) {
  const common::X509ExtensionStackPtr extensions = csr.Extensions();
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
acme::Result<std::string> ReadCommonName(const CsrDer& csr) {
  const X509_NAME* subject = csr.subject();
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
acme::Status ReadNames(const CsrDer& csr, CsrInfo& info) {
  if (auto extensions = ReadExtensions(csr, info); !extensions) {
    return extensions.error();
  }
  auto common_name = ReadCommonName(csr);
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
  auto csr = DecodeDer(der);
  if (!csr) {
    return csr.error();
  }
  if (auto algorithm = CheckSignatureAlgorithm(csr->signature_algorithm()); !algorithm) {
    return algorithm.error();
  }
  auto key = PublicKeyOf(csr.value());
  if (!key) {
    return key.error();
  }
  CsrInfo info;
  info.public_key = std::move(key).value();
  if (!csr->Verify(info.public_key.get())) {
    return BadCsr("CSR signature does not verify with its public key");
  }
  if (auto names = ReadNames(csr.value(), info); !names) {
    return names.error();
  }
  info.key_algorithm.reset(X509_ALGOR_dup(csr->key_algorithm()));
  info.key_bits = std::string(csr->key_bits());
  if (!info.key_algorithm) {
    std::abort();  // allocation failure
  }
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
