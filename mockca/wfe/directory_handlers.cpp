#include "mockca/wfe/directory_handlers.hpp"

#include "mockca/wfe/ari_handlers.hpp"
#include "mockca/wfe/paths.hpp"

namespace mockca::wfe {

nlohmann::json DirectoryJson(const std::string& base_url, const DirectoryMeta& meta) {
  nlohmann::json meta_json = {{"termsOfService", meta.terms_of_service},
                              {"externalAccountRequired", meta.external_account_required}};
  if (!meta.website.empty()) {
    meta_json["website"] = meta.website;
  }
  if (!meta.caa_identities.empty()) {
    meta_json["caaIdentities"] = meta.caa_identities;
  }
  if (!meta.profiles.empty()) {
    meta_json["profiles"] = meta.profiles;  // S-PROF-01: {name: description}
  }
  return {{"newNonce", base_url + paths::kNewNonce},
          {"newAccount", base_url + paths::kNewAccount},
          {"newOrder", base_url + paths::kNewOrder},
          {"revokeCert", base_url + paths::kRevokeCert},
          {"keyChange", base_url + paths::kKeyChange},
          {"renewalInfo", RenewalInfoUrl(base_url)},
          {"meta", std::move(meta_json)}};
}

void AddDirectoryRoutes(Router& router, DirectoryMeta meta, NonceService& nonces) {
  router.Add(
      paths::kDirectory, {"GET"},
      [meta = std::move(meta)](const RequestContext& context) -> acme::Result<http::Response> {
        return http::Response::Json(200, DirectoryJson(context.base_url, meta).dump(2));
      });
  router.Add(
      paths::kNewNonce, {"GET"},
      [&nonces](const RequestContext& context) -> acme::Result<http::Response> {
        http::Response response{context.request.method == "HEAD" ? 200 : 204, {}, {}};
        response.With("Replay-Nonce", nonces.Issue("newNonce")).With("Cache-Control", "no-store");
        return response;
      });
}

}  // namespace mockca::wfe
