#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"
#include "mockca/ca/certificate_fields.hpp"
#include "mockca/ca/hierarchy.hpp"

namespace mockca::ca {

// A CA certificate and its private key.
struct CaCertificate {
  common::EvpPkeyPtr key;
  common::X509Ptr cert;
};

// One chain of Pebble's CA (pebble.md §2.8, §1.3): a root and the intermediates under it, in the
// order a certificate URL serves them: intermediates[0] is the leaf-issuing intermediate, and
// intermediates.back() is the one the root signed. Movable, not copyable; safe to read from several
// threads.
struct CaChain {
  CaCertificate root;
  std::vector<CaCertificate> intermediates;  // never empty
};

// Generates Pebble's chains, as it does at every start (PEBBLE_ALTERNATE_ROOTS,
// PEBBLE_CHAIN_LENGTH): chain 0 plus alternate_roots alternate chains, each with its own
// self-signed root (kRootNamePrefix + 6 hex digits). Every chain ends in the SAME leaf-issuing
// intermediate key and subject (kIntermediateNamePrefix + 6 hex digits, hence the same SKID),
// cross-signed under each chain, so a leaf issued once verifies under any root (S-CERT-03). A
// chain_length above 1 puts chain_length - 1 extra intermediates, each with its own key, between
// the root and the leaf-issuing one ("... Intermediate CA #<i> <6 hex>", with pathlen i; the
// leaf-issuing one has pathlen 0). Every key is of algorithm; every certificate is made by
// MintCaCertificate, so the serials and names come from rng.
// REQUIRES: chain_length >= 1 (Pebble panics on 0; callers treat 0 as 1). Errors: an OpenSSL
// failure, as text.
common::Result<std::vector<CaChain>, std::string> GenerateChains(KeyAlgorithm algorithm,
                                                                 common::Rng& rng, TimePoint now,
                                                                 std::size_t alternate_roots,
                                                                 std::size_t chain_length);

}  // namespace mockca::ca
