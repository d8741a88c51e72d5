#include "mockca/va/http01.hpp"

#include <charconv>
#include <optional>

#include "common/ip_literal.hpp"
#include "http/client.hpp"

namespace mockca::va {
namespace {

struct Url {
  bool https = false;
  std::string host;  // without brackets
  std::uint16_t port = 80;
  std::string target = "/";

  std::string ToString() const {
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(https ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
           std::to_string(port) + target;
  }
};

// An absolute http(s) URL, or a path relative to base; nullopt for anything else.
std::optional<Url> ResolveLocation(const std::string& location, const Url& base) {
  if (!location.empty() && location.front() == '/') {
    Url url = base;
    url.target = location;
    return url;
  }
  Url url;
  std::string rest;
  if (location.rfind("http://", 0) == 0) {
    rest = location.substr(7);
  } else if (location.rfind("https://", 0) == 0) {
    url.https = true;
    rest = location.substr(8);
  } else {
    return std::nullopt;
  }
  url.port = url.https ? 443 : 80;
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  url.target = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto close = authority.find(']');
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && (close == std::string::npos || colon > close)) {
    unsigned port = 0;
    const std::string port_text = authority.substr(colon + 1);
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return std::nullopt;
    }
    url.port = static_cast<std::uint16_t>(port);
    authority = authority.substr(0, colon);
  }
  if (authority.size() >= 2 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  if (authority.empty()) {
    return std::nullopt;
  }
  url.host = authority;
  return url;
}

acme::Result<std::string> AddressOf(const std::string& host,
                                    mockdns::resolver::Resolver& resolver) {
  if (common::IsIpLiteral(host)) {
    return host;
  }
  for (auto type : {mockdns::resolver::QueryType::kA, mockdns::resolver::QueryType::kAaaa}) {
    auto answer = resolver.Lookup(host, type);
    if (!answer) {
      return acme::MakeProblem(acme::ProblemType::kDns, "DNS problem: " + answer.error() +
                                                            " looking up addresses of " + host);
    }
    if (!answer->values.empty()) {
      return answer->values.front();
    }
  }
  return acme::MakeProblem(acme::ProblemType::kDns, "No valid IP addresses found for " + host);
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string TrimTrailingWhitespace(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

acme::Status ValidateHttp01(const acme::Identifier& identifier, const std::string& token,
                            const std::string& key_authorization,
                            mockdns::resolver::Resolver& resolver, const Http01Options& options) {
  Url url{false, identifier.value, options.port, "/.well-known/acme-challenge/" + token};
  for (int redirects = 0;; ++redirects) {
    auto address = AddressOf(url.host, resolver);
    if (!address) {
      return address.error();
    }
    const bool default_port = url.port == (url.https ? 443 : 80);
    const std::string host_header =
        (url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host) +
        (default_port ? "" : ":" + std::to_string(url.port));
    auto response = http::Get({address.value(), url.port, url.https, host_header, url.target,
                               options.user_agent, options.max_body_bytes, options.timeout});
    if (!response) {
      return acme::MakeProblem(acme::ProblemType::kConnection,
                               "Fetching " + url.ToString() + ": " + response.error());
    }
    if (IsRedirect(response->status)) {
      http::Request headers;
      headers.headers = response->headers;
      auto next = ResolveLocation(headers.Header("Location"), url);
      if (!next) {
        return acme::MakeProblem(acme::ProblemType::kConnection,
                                 "Fetching " + url.ToString() + ": bad redirect to \"" +
                                     headers.Header("Location") + "\"");
      }
      if (redirects >= options.max_redirects) {
        return acme::MakeProblem(acme::ProblemType::kConnection,
                                 "Fetching " + url.ToString() + ": too many redirects");
      }
      url = *next;
      continue;
    }
    if (response->status != 200) {
      return acme::Unauthorized("Invalid response from " + url.ToString() + ": status " +
                                std::to_string(response->status));
    }
    const std::string body = TrimTrailingWhitespace(response->body);
    if (body != key_authorization) {
      return acme::Unauthorized(
          "The key authorization file from the server did not match this "
          "challenge. Expected \"" +
          key_authorization + "\" (got \"" + body.substr(0, 128) + "\")");
    }
    return {};
  }
}

}  // namespace mockca::va
