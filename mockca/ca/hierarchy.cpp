#include "mockca/ca/hierarchy.hpp"

#include <cstdlib>
#include <utility>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace mockca::ca {
namespace {

// Pebble's roots and intermediates are valid for 30 years; starting an hour back tolerates clients
// whose clock is slightly behind ours.
constexpr std::chrono::hours kBackdate{1};
constexpr std::chrono::hours kCaValidity{24 * 365 * 30};

}  // namespace

common::Result<common::X509Ptr, std::string> MintCaCertificate(const std::string& common_name,
                                                               EVP_PKEY* subject_key,
                                                               EVP_PKEY* issuer_key, X509* issuer,
                                                               common::Rng& rng, TimePoint now,
                                                               const char* basic_constraints) {
  auto cert = NewCertificate(rng, subject_key, now - kBackdate, now - kBackdate + kCaValidity);
  if (!cert) {
    return cert.error();
  }
  X509* raw = cert.value().get();
  X509* signer = issuer != nullptr ? issuer : raw;
  const bool ok = SetSubjectCommonName(raw, common_name) &&
                  X509_set_issuer_name(raw, X509_get_subject_name(signer)) == 1 &&
                  AddConfExtension(raw, signer, NID_basic_constraints, basic_constraints) &&
                  AddConfExtension(raw, signer, NID_key_usage, "critical,keyCertSign,cRLSign") &&
                  AddConfExtension(raw, signer, NID_subject_key_identifier, "hash") &&
                  (issuer == nullptr ||
                   AddConfExtension(raw, signer, NID_authority_key_identifier, "keyid:always"));
  if (!ok) {
    return common::MakeErr("building " + common_name + ": " + common::OpenSslErrorText());
  }
  auto signed_ok = SignCertificate(raw, issuer_key);
  if (!signed_ok) {
    return common::MakeErr(signed_ok.error());
  }
  return std::move(cert).value();
}

common::EvpPkeyPtr GenerateKey(KeyAlgorithm algorithm) {
  common::EvpPkeyPtr key;
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256:
      key.reset(EVP_EC_gen("P-256"));
      break;
    case KeyAlgorithm::kRsa2048:
      key.reset(EVP_RSA_gen(2048));
      break;
  }
  if (!key) {
    std::abort();  // key generation cannot fail on a working OpenSSL
  }
  return key;
}

common::Result<Hierarchy, std::string> GenerateHierarchy(KeyAlgorithm algorithm, common::Rng& rng,
                                                         TimePoint now, std::string name_suffix) {
  Hierarchy hierarchy;
  hierarchy.root_key = GenerateKey(algorithm);
  hierarchy.intermediate_key = GenerateKey(algorithm);
  auto root = MintCaCertificate(kRootNamePrefix + name_suffix, hierarchy.root_key.get(),
                                hierarchy.root_key.get(), nullptr, rng, now, "critical,CA:TRUE");
  if (!root) {
    return root.error();
  }
  hierarchy.root = std::move(root).value();
  auto intermediate = MintCaCertificate(
      kIntermediateNamePrefix + name_suffix, hierarchy.intermediate_key.get(),
      hierarchy.root_key.get(), hierarchy.root.get(), rng, now, "critical,CA:TRUE,pathlen:0");
  if (!intermediate) {
    return intermediate.error();
  }
  hierarchy.intermediate = std::move(intermediate).value();
  return hierarchy;
}

std::string TraditionalPrivateKeyPem(EVP_PKEY* key) {
  common::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr,
                                                   nullptr) != 1) {
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace mockca::ca
