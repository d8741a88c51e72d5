#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace http {

// A transport-free HTTP request: what a handler sees. No Beast type crosses this boundary.
struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  std::string host;    // the Host header
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool https = false;
  std::string server_name;  // SNI, for HTTPS

  // The first header of that name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  // target without its query string.
  std::string Path() const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  Response& With(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  static Response Text(int status, std::string body);
  static Response Json(int status, std::string body);
};

}  // namespace http
