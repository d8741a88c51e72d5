#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/ca/certificate_fields.hpp"
#include "mockca/ca/csr.hpp"
#include "mockca/ca/hierarchy.hpp"

namespace mockca::ca {

// A leaf the CA issued, in the forms the store and the certificate URL need (RFC 8555 §7.4.2).
struct IssuedCertificate {
  std::string serial_hex;         // lowercase hex of the serial's content octets
  std::vector<std::uint8_t> der;  // the leaf
  std::string pem;                // the leaf, one RFC 7468 block
  std::string chain_pem;          // the intermediates, leaf and root excluded (S-CERT-02)
};

// Pebble's ca.CAImpl: one hierarchy (root + intermediate), generated at start, that issues leaves.
// Thread-safe: Issue may run on several worker threads at once; the hierarchy is only read after
// Create, and the Rng is thread-safe.
class CertificateAuthority {
 public:
  // Generates the hierarchy (GenerateHierarchy, named with 6 random hex digits as Pebble does) and
  // keeps rng for leaf serials. REQUIRES: rng outlives the authority. Errors: an OpenSSL failure.
  static common::Result<std::unique_ptr<CertificateAuthority>, std::string> Create(
      KeyAlgorithm algorithm, common::Rng& rng, TimePoint now);

  CertificateAuthority(const CertificateAuthority&) = delete;
  CertificateAuthority& operator=(const CertificateAuthority&) = delete;

  // Issues the leaf of a finalized order with IssueLeaf under the intermediate: SANs exactly
  // identifiers (S-FIN-08), validity [not_before, not_after]. REQUIRES: identifiers were checked
  // against csr (CheckCsrAgainstOrder). Fails with ServerInternal (500) on any issuer error.
  acme::Result<IssuedCertificate> Issue(const CsrInfo& csr,
                                        const std::vector<acme::Identifier>& identifiers,
                                        TimePoint not_before, TimePoint not_after) const;

  // The PEM of the root and of the intermediate (management API /roots/0, /intermediates/0).
  const std::string& RootPem() const { return root_pem_; }
  const std::string& IntermediatePem() const { return intermediate_pem_; }

  // Borrowed; they live as long as the authority.
  X509* root() const { return hierarchy_.root.get(); }
  X509* intermediate() const { return hierarchy_.intermediate.get(); }

 private:
  CertificateAuthority(Hierarchy hierarchy, common::Rng& rng);

  // Constant after construction.
  const Hierarchy hierarchy_;
  common::Rng& rng_;
  const std::string root_pem_;
  const std::string intermediate_pem_;
};

}  // namespace mockca::ca
