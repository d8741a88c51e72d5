#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/ca/certificate_fields.hpp"
#include "mockca/ca/chains.hpp"
#include "mockca/ca/csr.hpp"
#include "mockca/ca/hierarchy.hpp"
#include "mockca/ca/issuer.hpp"

namespace mockca::ca {

// A leaf the CA issued, as the store keeps it; the certificate URL serves its PEM
// (common::CertificateDerToPem) and a chain's intermediates from CertificateAuthority::ChainPem
// (RFC 8555 §7.4.2, S-CERT-02).
struct IssuedCertificate {
  std::string serial_hex;         // lowercase hex of the serial's content octets
  std::vector<std::uint8_t> der;  // the leaf
};

// Pebble's ca.CAImpl: chain 0 plus alternate chains (GenerateChains), generated at start, that
// issue leaves under the one leaf-issuing intermediate key shared by every chain, so each leaf
// verifies under every root (S-CERT-03).
// Thread-safe: Issue may run on several worker threads at once; everything else is constant after
// Create, and the Rng is thread-safe.
class CertificateAuthority {
 public:
  // Generates 1 + alternate_roots chains of chain_length intermediates each (GenerateChains; names
  // "Anvil mockca Root CA <6 hex>" / "Anvil mockca Intermediate CA <6 hex>") and keeps rng for leaf
  // serials. REQUIRES: rng outlives the authority; chain_length >= 1 (a caller maps Pebble's 0 to
  // 1). Errors: an OpenSSL failure.
  static common::Result<std::unique_ptr<CertificateAuthority>, std::string> Create(
      KeyAlgorithm algorithm, common::Rng& rng, TimePoint now, std::size_t alternate_roots = 0,
      std::size_t chain_length = 1);

  CertificateAuthority(const CertificateAuthority&) = delete;
  CertificateAuthority& operator=(const CertificateAuthority&) = delete;

  // Issues the leaf of a finalized order with IssueLeaf under the shared intermediate: SANs exactly
  // identifiers (S-FIN-08), validity [not_before, not_after], shaped by options (see IssueLeaf).
  // REQUIRES: identifiers were checked against csr (CheckCsrAgainstOrder). Fails with
  // ServerInternal (500) on any issuer error.
  acme::Result<IssuedCertificate> Issue(const CsrInfo& csr,
                                        const std::vector<acme::Identifier>& identifiers,
                                        TimePoint not_before, TimePoint not_after,
                                        const LeafOptions& options = {}) const;

  // 1 + alternate_roots: chain indices are 0 .. ChainCount() - 1.
  std::size_t ChainCount() const { return chains_.size(); }

  // Per chain (REQUIRES: chain < ChainCount()), for the management API (pebble.md §3) and the
  // certificate URL (§2.8):
  //  - RootPem: the root; IntermediatePem: the leaf-issuing intermediate as that root's chain
  //    certifies it (one PEM block each);
  //  - RootKeyPem / IntermediateKeyPem: their private keys, TraditionalPrivateKeyPem (PKCS#1 for
  //    RSA, SEC1 for ECDSA); IntermediateKeyPem is the same key for every chain;
  //  - ChainPem: every intermediate of the chain, leaf-issuing first, root omitted (S-CERT-02),
  //    to append to a leaf's PEM.
  const std::string& RootPem(std::size_t chain = 0) const { return pems_[chain].root; }
  const std::string& IntermediatePem(std::size_t chain = 0) const {
    return pems_[chain].intermediate;
  }
  const std::string& RootKeyPem(std::size_t chain) const { return pems_[chain].root_key; }
  const std::string& IntermediateKeyPem(std::size_t chain) const {
    return pems_[chain].intermediate_key;
  }
  const std::string& ChainPem(std::size_t chain) const { return pems_[chain].chain; }

  // The PEM of the CA's own certificate (any root or intermediate of any chain) whose serial is
  // serial_hex (lowercase content-octet hex, as SerialHex); nullopt when none is. Pebble keeps
  // these in its certificate store, so the management API's cert-status answers them too.
  std::optional<std::string> CaCertificatePem(const std::string& serial_hex) const;

  // Borrowed; they live as long as the authority. REQUIRES: chain < ChainCount().
  X509* root(std::size_t chain = 0) const { return chains_[chain].root.cert.get(); }
  X509* intermediate(std::size_t chain = 0) const {
    return chains_[chain].intermediates.front().cert.get();
  }
  // Every intermediate of the chain in serving order (intermediate(chain) first).
  std::vector<X509*> intermediates(std::size_t chain) const;

 private:
  // The text forms of one chain, computed once.
  struct ChainPems {
    std::string root;
    std::string intermediate;
    std::string root_key;
    std::string intermediate_key;
    std::string chain;
  };

  CertificateAuthority(std::vector<CaChain> chains, common::Rng& rng);

  // Constant after construction.
  const std::vector<CaChain> chains_;
  common::Rng& rng_;
  std::vector<ChainPems> pems_;
  std::unordered_map<std::string, std::string> ca_pem_by_serial_;
};

}  // namespace mockca::ca
