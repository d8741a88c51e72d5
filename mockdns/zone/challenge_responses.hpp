#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace mockdns::zone {

// What the http-01 and tls-alpn-01 responders serve: challtestsrv's token, redirect and TLS-ALPN
// maps. Thread-safe.
class ChallengeResponses {
 public:
  void AddHttp01(const std::string& token, const std::string& content);
  void DeleteHttp01(const std::string& token);
  std::optional<std::string> Http01(const std::string& token) const;

  // Exact-path redirects (path -> target URL), served on plain HTTP only.
  void AddRedirect(const std::string& path, const std::string& target_url);
  void DeleteRedirect(const std::string& path);
  std::optional<std::string> Redirect(const std::string& path) const;

  // host is a DNS name (case-insensitive) or an IP literal; content is the key authorization.
  void AddTlsAlpn01(const std::string& host, const std::string& content);
  void DeleteTlsAlpn01(const std::string& host);
  std::optional<std::string> TlsAlpn01(const std::string& host) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> http01_;     // guarded by mu_
  std::map<std::string, std::string> redirects_;  // guarded by mu_
  std::map<std::string, std::string> tls_alpn_;   // guarded by mu_, keys lowercase
};

}  // namespace mockdns::zone
