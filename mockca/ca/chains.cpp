#include "mockca/ca/chains.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace mockca::ca {
namespace {

// A second owning reference to key (EVP_PKEY is reference counted).
common::EvpPkeyPtr Share(EVP_PKEY* key) {
  EVP_PKEY_up_ref(key);
  return common::EvpPkeyPtr(key);
}

// Chain `index`: a new root, chain_length - 1 extra intermediates, then the shared issuer.
common::Result<CaChain, std::string> GenerateChain(KeyAlgorithm algorithm, common::Rng& rng,
                                                   TimePoint now, std::size_t chain_length,
                                                   EVP_PKEY* issuer_key,
                                                   const std::string& issuer_name) {
  CaChain chain;
  chain.root.key = GenerateKey(algorithm);
  auto root = MintCaCertificate(kRootNamePrefix + rng.Hex(3), chain.root.key.get(),
                                chain.root.key.get(), nullptr, rng, now, "critical,CA:TRUE");
  if (!root) {
    return root.error();
  }
  chain.root.cert = std::move(root).value();
  // Built downwards from the root, then reversed into serving order.
  chain.intermediates.reserve(chain_length);
  CaCertificate* signer = &chain.root;
  for (std::size_t depth = chain_length; depth-- > 0;) {
    CaCertificate next;
    std::string name;
    std::string constraints = "critical,CA:TRUE,pathlen:" + std::to_string(depth);
    if (depth == 0) {
      next.key = Share(issuer_key);
      name = issuer_name;
    } else {
      next.key = GenerateKey(algorithm);
      name = kIntermediateNamePrefix + ("#" + std::to_string(depth) + " ") + rng.Hex(3);
    }
    auto cert = MintCaCertificate(name, next.key.get(), signer->key.get(), signer->cert.get(), rng,
                                  now, constraints.c_str());
    if (!cert) {
      return cert.error();
    }
    next.cert = std::move(cert).value();
    chain.intermediates.push_back(std::move(next));
    signer = &chain.intermediates.back();
  }
  std::reverse(chain.intermediates.begin(), chain.intermediates.end());
  return chain;
}

}  // namespace

common::Result<std::vector<CaChain>, std::string> GenerateChains(KeyAlgorithm algorithm,
                                                                 common::Rng& rng, TimePoint now,
                                                                 std::size_t alternate_roots,
                                                                 std::size_t chain_length) {
  assert(chain_length >= 1);
  const common::EvpPkeyPtr issuer_key = GenerateKey(algorithm);
  const std::string issuer_name = kIntermediateNamePrefix + rng.Hex(3);
  std::vector<CaChain> chains;
  chains.reserve(alternate_roots + 1);
  for (std::size_t index = 0; index <= alternate_roots; ++index) {
    auto chain = GenerateChain(algorithm, rng, now, chain_length, issuer_key.get(), issuer_name);
    if (!chain) {
      return common::MakeErr("chain " + std::to_string(index) + ": " + chain.error());
    }
    chains.push_back(std::move(chain).value());
  }
  return chains;
}

}  // namespace mockca::ca
