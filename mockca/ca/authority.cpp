#include "mockca/ca/authority.hpp"

#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/core_names.h>
#include <openssl/x509v3.h>

#include "common/x509_builder.hpp"
#include "mockca/ca/csr_names.hpp"
#include "mockca/ca/issuer.hpp"
#include "mockca/jose/base64url.hpp"
#include "mockca/jose/jwk.hpp"

namespace mockca::ca {
namespace {

// Lowercase hex of the serial's content octets (the store's serial_hex), or empty on failure.
std::string SerialHexOf(X509* cert) {
  common::BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!serial) {
    return {};
  }
  common::OpenSslStringPtr hex(BN_bn2hex(serial.get()));
  if (!hex) {
    return {};
  }
  std::string text(hex.get());
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

std::vector<std::uint8_t> DerOf(X509* cert) {
  const int size = i2d_X509(cert, nullptr);
  if (size <= 0) {
    return {};
  }
  std::vector<std::uint8_t> der(static_cast<std::size_t>(size));
  unsigned char* out = der.data();
  i2d_X509(cert, &out);
  return der;
}

std::string Base64UrlOf(const unsigned char* bytes, std::size_t size) {
  return jose::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes), size));
}

// A BIGNUM parameter of key as unpadded big-endian bytes (pad = 0) or padded to pad bytes.
std::optional<std::string> BignumParam(EVP_PKEY* key, const char* name, int pad) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    return std::nullopt;
  }
  common::BignumPtr value(raw);
  std::vector<unsigned char> bytes(static_cast<std::size_t>(pad > 0 ? pad : BN_num_bytes(raw)));
  const int written = pad > 0 ? BN_bn2binpad(raw, bytes.data(), pad) : BN_bn2bin(raw, bytes.data());
  if (written < 0) {
    return std::nullopt;
  }
  return Base64UrlOf(bytes.data(), bytes.size());
}

// The required public members of key's JWK (RFC 7638 §3.2), or nullopt for a key no JWS may use.
std::optional<nlohmann::json> PublicJwk(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: {
      auto n = BignumParam(key, OSSL_PKEY_PARAM_RSA_N, 0);
      auto e = BignumParam(key, OSSL_PKEY_PARAM_RSA_E, 0);
      if (!n || !e) {
        return std::nullopt;
      }
      return nlohmann::json{{"kty", "RSA"}, {"n", *n}, {"e", *e}};
    }
    case EVP_PKEY_EC: {
      char group[64] = {};
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                         nullptr) != 1) {
        return std::nullopt;
      }
      const std::string name(group);
      const auto [crv, size] = name == "prime256v1"  ? std::pair("P-256", 32)
                               : name == "secp384r1" ? std::pair("P-384", 48)
                               : name == "secp521r1" ? std::pair("P-521", 66)
                                                     : std::pair("", 0);
      auto x = BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X, size);
      auto y = BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, size);
      if (size == 0 || !x || !y) {
        return std::nullopt;
      }
      return nlohmann::json{{"kty", "EC"}, {"crv", crv}, {"x", *x}, {"y", *y}};
    }
    case EVP_PKEY_ED25519: {
      unsigned char raw[32];
      std::size_t size = sizeof(raw);
      if (EVP_PKEY_get_raw_public_key(key, raw, &size) != 1) {
        return std::nullopt;
      }
      return nlohmann::json{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", Base64UrlOf(raw, size)}};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

CertificateAuthority::CertificateAuthority(Hierarchy hierarchy, common::Rng& rng)
    : hierarchy_(std::move(hierarchy)),
      rng_(rng),
      root_pem_(common::CertificateToPem(hierarchy_.root.get())),
      intermediate_pem_(common::CertificateToPem(hierarchy_.intermediate.get())) {}

common::Result<std::unique_ptr<CertificateAuthority>, std::string> CertificateAuthority::Create(
    KeyAlgorithm algorithm, common::Rng& rng, TimePoint now) {
  auto hierarchy = GenerateHierarchy(algorithm, rng, now, rng.Hex(3));
  if (!hierarchy) {
    return common::MakeErr(hierarchy.error());
  }
  return std::unique_ptr<CertificateAuthority>(
      new CertificateAuthority(std::move(hierarchy).value(), rng));
}

acme::Result<IssuedCertificate> CertificateAuthority::Issue(
    const CsrInfo& csr, const std::vector<acme::Identifier>& identifiers, TimePoint not_before,
    TimePoint not_after) const {
  auto leaf = IssueLeaf(csr, identifiers, hierarchy_.intermediate_key.get(),
                        hierarchy_.intermediate.get(), not_before, not_after, rng_);
  if (!leaf) {
    return acme::ServerInternal("issuing the certificate failed: " + leaf.error());
  }
  X509* cert = leaf.value().get();
  IssuedCertificate issued;
  issued.serial_hex = SerialHexOf(cert);
  issued.der = DerOf(cert);
  if (issued.serial_hex.empty() || issued.der.empty()) {
    return acme::ServerInternal("encoding the certificate failed: " + common::OpenSslErrorText());
  }
  issued.pem = common::CertificateToPem(cert);
  issued.chain_pem = intermediate_pem_;
  return issued;
}

acme::Result<CertificateFacts> InspectCertificate(std::string_view der) {
  const auto* in = reinterpret_cast<const unsigned char*>(der.data());
  common::X509Ptr cert(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
  if (!cert || in != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    return acme::Malformed("\"certificate\" is not one DER X.509 certificate");
  }
  CertificateFacts facts;
  facts.serial_hex = SerialHexOf(cert.get());
  facts.public_key.reset(X509_get_pubkey(cert.get()));
  if (facts.serial_hex.empty() || !facts.public_key) {
    return acme::Malformed("\"certificate\" has no usable serial or public key");
  }
  common::GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (names) {
    auto identifiers = IdentifiersFromSans(names.get());
    if (!identifiers) {
      return acme::Malformed("\"certificate\" has names this CA never issues: " +
                             identifiers.error().detail);
    }
    facts.identifiers = std::move(identifiers).value();
  }
  return facts;
}

std::string KeyThumbprint(EVP_PKEY* key) {
  const auto jwk = key ? PublicJwk(key) : std::nullopt;
  if (!jwk) {
    return {};
  }
  const auto parsed = jose::ParseJwk(*jwk);
  return parsed ? jose::JwkThumbprint(*parsed) : std::string();
}

}  // namespace mockca::ca
