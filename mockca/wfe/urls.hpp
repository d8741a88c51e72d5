#pragma once

#include <string>

#include "mockca/wfe/paths.hpp"

namespace mockca::wfe {

// The URL of each object as seen through base_url ("https://" + the request's Host, S-HTTP-01).
// Account URLs are AccountUrl in account_handlers.hpp.
inline std::string OrderUrl(const std::string& base_url, const std::string& order_id) {
  return base_url + paths::kOrder + order_id;
}
inline std::string FinalizeUrl(const std::string& base_url, const std::string& order_id) {
  return base_url + paths::kFinalize + order_id;
}
inline std::string AuthzUrl(const std::string& base_url, const std::string& authz_id) {
  return base_url + paths::kAuthz + authz_id;
}
inline std::string ChallengeUrl(const std::string& base_url, const std::string& challenge_id) {
  return base_url + paths::kChallenge + challenge_id;
}
inline std::string CertificateUrl(const std::string& base_url, const std::string& certificate_id) {
  return base_url + paths::kCertificate + certificate_id;
}
inline std::string OrdersListUrl(const std::string& base_url, const std::string& account_id) {
  return base_url + paths::kOrdersList + account_id;
}

}  // namespace mockca::wfe
