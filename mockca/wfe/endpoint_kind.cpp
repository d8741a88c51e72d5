#include "mockca/wfe/endpoint_kind.hpp"

#include <array>

#include "mockca/wfe/ari_handlers.hpp"
#include "mockca/wfe/paths.hpp"

namespace mockca::wfe {
namespace {

struct KindOfPath {
  std::string_view path;  // exact, or a prefix when it ends in '/'
  const char* kind;
};

constexpr std::array<KindOfPath, 13> kKinds = {{
    {paths::kDirectory, "directory"},
    {paths::kNewNonce, "newNonce"},
    {paths::kNewAccount, "newAccount"},
    {paths::kAccount, "account"},
    {paths::kKeyChange, "keyChange"},
    {paths::kNewOrder, "newOrder"},
    {paths::kOrder, "order"},
    {paths::kOrdersList, "order"},
    {paths::kFinalize, "finalize"},
    {paths::kAuthz, "authz"},
    {paths::kChallenge, "challenge"},
    {paths::kCertificate, "certificate"},
    {paths::kRevokeCert, "revokeCert"},
}};

}  // namespace

std::string EndpointKindOf(std::string_view path) {
  for (const auto& [route, kind] : kKinds) {
    const bool prefix = route.back() == '/';
    if (prefix ? path.substr(0, route.size()) == route : path == route) {
      return kind;
    }
  }
  // RFC 9773 §4.1: the renewalInfo URL, then "/" + certID.
  const std::string_view renewal_info = kRenewalInfoPath;
  if (path.substr(0, renewal_info.size()) == renewal_info &&
      (path.size() == renewal_info.size() || path[renewal_info.size()] == '/')) {
    return "renewalInfo";
  }
  return {};
}

}  // namespace mockca::wfe
