#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "mockca/core/objects.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/wfe/eab_keys.hpp"
#include "mockca/wfe/jws_auth.hpp"
#include "mockca/wfe/router.hpp"

namespace mockca::wfe {

// What newAccount demands besides a valid request.
struct AccountPolicy {
  // S-ACCT-06: the directory advertises a ToS (DirectoryMeta's default, as Pebble does), so a
  // newAccount without termsOfServiceAgreed:true gets 403 userActionRequired with
  // Link: <terms_of_service>;rel="terms-of-service". Absent counts as not agreed (RFC 8555 §7.3:
  // "the client MUST include termsOfServiceAgreed:true"); Pebble only rejects an explicit false.
  bool terms_required = true;
  std::string terms_of_service = "data:text/plain,Do%20what%20thou%20wilt";
  // RFC 8555 §7.3.4 (CheckAccountBinding in account_binding.hpp). eab_required: a newAccount
  // without externalAccountBinding gets 403 externalAccountRequired (S-EAB-01); advertise it as
  // DirectoryMeta::external_account_required. eab_keys: the MAC keys (not owned; must outlive the
  // routes); nullptr means EAB is unsupported and a binding sent anyway is ignored, not echoed.
  // With keys, a binding is verified whenever it is sent, required or not (Pebble).
  bool eab_required = false;
  EabKeys* eab_keys = nullptr;
  // S-EAB-05 (policy; Pebble lets a kid bind any number of accounts): one account per kid.
  bool eab_one_account_per_key = false;
};

// The URL of account id as seen through base_url: base_url + "/my-account/" + id (S-ACCT-01).
// Pass it to JwsAuthenticator as its account_url function.
std::string AccountUrl(const std::string& base_url, const std::string& id);

// The id an account URL names: the rest after the last "/my-account/", or nullopt. Lax about the
// scheme and host, which JwsAuthenticator compares through AccountUrl. Pass it to
// JwsAuthenticator as its account_id_from_url function.
std::optional<std::string> AccountIdFromUrl(std::string_view kid);

// The account object (RFC 8555 §7.1.2; Pebble's shape without its non-standard `key`):
// {status, contact (omitted when empty), termsOfServiceAgreed (only when agreed), orders:
// base_url + "/list-orderz/" + id, externalAccountBinding (only when one was verified, exactly as
// sent, S-EAB-03)}. Never echoes other request fields (S-ACCT-02).
nlohmann::json AccountJson(const core::Account& account, const std::string& base_url);

// Adds POST on newAccount, the account URL prefix and keyChange (paths.hpp):
//  - newAccount (jwk): a key already registered → 200 + Location of that account, unchanged
//    (S-ACCT-03; 401 unauthorized when it is not valid, S-ACCT-10/S-JWS-10);
//    onlyReturnExisting:true and no account → 400 accountDoesNotExist (S-ACCT-04); the ToS per
//    policy (S-ACCT-06); the External Account Binding per policy (S-EAB-01..05); contacts
//    validated (S-ACCT-05); otherwise 201 + Location (S-ACCT-01).
//    Unknown fields are ignored (S-ACCT-02).
//  - account URL (kid): only the account itself (else 403 unauthorized). POST-as-GET → 200
//    (S-ACCT-09); {contact} replaces the contacts (S-ACCT-08); {status:"deactivated"} deactivates
//    (S-ACCT-10); any other status and other fields are ignored (S-ACCT-08).
//  - keyChange (kid): RFC 8555 §7.3.5 (S-KEY-01..06); 409 + Location when the new key belongs to
//    another account (S-KEY-05); success → 200 with the account.
// REQUIRES: store and auth outlive router; auth was built with AccountUrl/AccountIdFromUrl.
void AddAccountRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                      AccountPolicy policy = {});

}  // namespace mockca::wfe
