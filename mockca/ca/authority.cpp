#include "mockca/ca/authority.hpp"

#include <string>
#include <utility>
#include <vector>

#include "common/x509_builder.hpp"
#include "mockca/ca/certificate_facts.hpp"
#include "mockca/ca/issuer.hpp"

namespace mockca::ca {
namespace {

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
  issued.serial_hex = SerialHex(cert);
  issued.der = DerOf(cert);
  if (issued.serial_hex.empty() || issued.der.empty()) {
    return acme::ServerInternal("encoding the certificate failed: " + common::OpenSslErrorText());
  }
  issued.pem = common::CertificateToPem(cert);
  issued.chain_pem = intermediate_pem_;
  return issued;
}

}  // namespace mockca::ca
