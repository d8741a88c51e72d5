#include "mockca/wfe/account_binding.hpp"

#include <string>
#include <utility>

namespace mockca::wfe {

acme::Result<std::optional<jose::ExternalAccountBinding>> CheckAccountBinding(
    const nlohmann::json& payload, const AuthenticatedPost& post, bool required, EabKeys* keys) {
  const auto it = payload.find("externalAccountBinding");
  if (it == payload.end() || it->is_null()) {
    if (required) {
      return acme::MakeProblem(acme::ProblemType::kExternalAccountRequired,
                               "this CA requires newAccount requests to carry an "
                               "\"externalAccountBinding\" (RFC 8555 §7.3.4)");  // S-EAB-01
    }
    return std::optional<jose::ExternalAccountBinding>();
  }
  if (keys == nullptr && !required) {
    return std::optional<jose::ExternalAccountBinding>();  // EAB unsupported: not verified, not
                                                           // echoed
  }
  const jose::MacKeyLookup lookup = [keys](const std::string& kid) -> std::optional<std::string> {
    return keys == nullptr ? std::nullopt : keys->Find(kid);
  };
  auto eab = jose::VerifyEab(*it, post.jws.header.url, post.key, lookup);  // S-EAB-02
  if (!eab) {
    return eab.error();
  }
  return std::optional<jose::ExternalAccountBinding>(std::move(eab).value());
}

acme::Status ClaimAccountBinding(const std::optional<jose::ExternalAccountBinding>& binding,
                                 EabKeys* keys, bool one_account_per_key) {
  if (!binding || !one_account_per_key || keys->Claim(binding->kid)) {
    return {};
  }
  return acme::Unauthorized("externalAccountBinding: the key \"" + binding->kid +
                            "\" is already bound to an account");  // S-EAB-05
}

}  // namespace mockca::wfe
