#include "mockdns/zone/challenge_responses.hpp"

#include "common/ascii.hpp"

namespace mockdns::zone {
namespace {

std::string HostKey(std::string host) {
  host = common::AsciiLower(std::move(host));
  if (!host.empty() && host.back() == '.') {
    host.pop_back();
  }
  return host;
}

std::optional<std::string> Find(const std::map<std::string, std::string>& map,
                                const std::string& key) {
  const auto found = map.find(key);
  if (found == map.end()) {
    return std::nullopt;
  }
  return found->second;
}

}  // namespace

void ChallengeResponses::AddHttp01(const std::string& token, const std::string& content) {
  std::lock_guard lock(mu_);
  http01_[token] = content;
}

void ChallengeResponses::DeleteHttp01(const std::string& token) {
  std::lock_guard lock(mu_);
  http01_.erase(token);
}

std::optional<std::string> ChallengeResponses::Http01(const std::string& token) const {
  std::lock_guard lock(mu_);
  return Find(http01_, token);
}

void ChallengeResponses::AddRedirect(const std::string& path, const std::string& target_url) {
  std::lock_guard lock(mu_);
  redirects_[path] = target_url;
}

void ChallengeResponses::DeleteRedirect(const std::string& path) {
  std::lock_guard lock(mu_);
  redirects_.erase(path);
}

std::optional<std::string> ChallengeResponses::Redirect(const std::string& path) const {
  std::lock_guard lock(mu_);
  return Find(redirects_, path);
}

void ChallengeResponses::AddTlsAlpn01(const std::string& host, const std::string& content) {
  std::lock_guard lock(mu_);
  tls_alpn_[HostKey(host)] = content;
}

void ChallengeResponses::DeleteTlsAlpn01(const std::string& host) {
  std::lock_guard lock(mu_);
  tls_alpn_.erase(HostKey(host));
}

std::optional<std::string> ChallengeResponses::TlsAlpn01(const std::string& host) const {
  std::lock_guard lock(mu_);
  return Find(tls_alpn_, HostKey(host));
}

}  // namespace mockdns::zone
