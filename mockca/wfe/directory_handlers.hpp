#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "mockca/wfe/nonce_service.hpp"
#include "mockca/wfe/router.hpp"

namespace mockca::wfe {

// The directory's meta object (RFC 8555 §7.1.1, S-DIR-03); defaults are Pebble's.
struct DirectoryMeta {
  std::string terms_of_service = "data:text/plain,Do%20what%20thou%20wilt";
  std::string website;                      // omitted when empty
  std::vector<std::string> caa_identities;  // omitted when empty
  bool external_account_required = false;
  // meta.profiles, name → description (draft-ietf-acme-profiles §3, S-PROF-01, S-DIR-07); omitted
  // when empty, i.e. when no profile is offered.
  std::map<std::string, std::string> profiles;
};

// The directory object (S-DIR-02): newNonce, newAccount, newOrder, revokeCert, keyChange and meta,
// as absolute URLs under base_url. No newAuthz: pre-authorization is not offered.
nlohmann::json DirectoryJson(const std::string& base_url, const DirectoryMeta& meta);

// Adds GET/HEAD on the directory (S-DIR-01, S-DIR-04) and HEAD/GET on newNonce (S-NONCE-02:
// HEAD 200, GET 204, each with a fresh Replay-Nonce and Cache-Control: no-store, S-NONCE-03).
void AddDirectoryRoutes(Router& router, DirectoryMeta meta, NonceService& nonces);

}  // namespace mockca::wfe
