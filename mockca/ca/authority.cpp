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

CertificateAuthority::CertificateAuthority(std::vector<CaChain> chains, common::Rng& rng)
    : chains_(std::move(chains)), rng_(rng) {
  for (std::size_t index = 0; index < chains_.size(); ++index) {
    const CaChain& chain = chains_[index];
    ChainPems pems;
    pems.root = common::CertificateToPem(chain.root.cert.get());
    pems.intermediate = common::CertificateToPem(chain.intermediates.front().cert.get());
    pems.root_key = TraditionalPrivateKeyPem(chain.root.key.get());
    pems.intermediate_key = TraditionalPrivateKeyPem(chain.intermediates.front().key.get());
    ca_pem_by_serial_.emplace(SerialHex(chain.root.cert.get()), pems.root);
    for (const CaCertificate& intermediate : chain.intermediates) {
      std::string pem = common::CertificateToPem(intermediate.cert.get());
      pems.chain += pem;
      ca_pem_by_serial_.emplace(SerialHex(intermediate.cert.get()), std::move(pem));
    }
    pems_.push_back(std::move(pems));
  }
}

common::Result<std::unique_ptr<CertificateAuthority>, std::string> CertificateAuthority::Create(
    KeyAlgorithm algorithm, common::Rng& rng, TimePoint now, std::size_t alternate_roots,
    std::size_t chain_length) {
  auto chains = GenerateChains(algorithm, rng, now, alternate_roots, chain_length);
  if (!chains) {
    return common::MakeErr(chains.error());
  }
  return std::unique_ptr<CertificateAuthority>(
      new CertificateAuthority(std::move(chains).value(), rng));
}

acme::Result<IssuedCertificate> CertificateAuthority::Issue(
    const CsrInfo& csr, const std::vector<acme::Identifier>& identifiers, TimePoint not_before,
    TimePoint not_after, const LeafOptions& options) const {
  // Every chain's leaf-issuing intermediate has the same key, subject and SKID: chain 0's will do.
  const CaCertificate& issuer = chains_.front().intermediates.front();
  auto leaf = IssueLeaf(csr, identifiers, issuer.key.get(), issuer.cert.get(), not_before,
                        not_after, rng_, options);
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
  return issued;
}

std::optional<std::string> CertificateAuthority::CaCertificatePem(
    const std::string& serial_hex) const {
  const auto found = ca_pem_by_serial_.find(serial_hex);
  if (found == ca_pem_by_serial_.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::vector<X509*> CertificateAuthority::intermediates(std::size_t chain) const {
  std::vector<X509*> out;
  for (const CaCertificate& intermediate : chains_[chain].intermediates) {
    out.push_back(intermediate.cert.get());
  }
  return out;
}

}  // namespace mockca::ca
