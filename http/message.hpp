#pragma once

#include <chrono>
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
  std::string remote;       // the peer, "ip:port" ("[ip]:port" for IPv6); "" when unknown

  // The first header of that name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
  // target without its query string.
  std::string Path() const;
};

// RFC 9112 §3.2.2: a request-target in absolute-form ("http(s)://authority/path?query", scheme
// case-insensitive) becomes its path and query ("/" when it has none), and its authority replaces
// the Host header's value when the request has a Host header (one that lacks it stays without, for
// the 400 RFC 9112 §3.2 asks). Any other target is left as it is.
void ApplyAbsoluteFormTarget(Request& request);

// How the server puts a response on the wire: normally, or broken on purpose (fault injection,
// conformance.md Part C: F-CONN-RESET, delays). Handlers that do not care leave it alone.
struct Delivery {
  enum class Mode {
    kNormal,        // write the response
    kClose,         // write nothing and close the connection (over TLS: no close_notify either)
    kResetMidBody,  // write the head (full Content-Length) and half the body, then reset (RST)
  };
  std::chrono::milliseconds delay{0};  // waited before anything happens, without blocking I/O
  Mode mode = Mode::kNormal;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Delivery delivery{};

  Response& With(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  static Response Text(int status, std::string body);
  static Response Json(int status, std::string body);
};

}  // namespace http
