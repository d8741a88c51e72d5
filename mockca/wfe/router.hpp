#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/logger.hpp"
#include "http/message.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/wfe/nonce_service.hpp"

namespace mockca::wfe {

// What a handler gets besides the request: the URLs the router derived from it.
struct RequestContext {
  const http::Request& request;
  std::string base_url;     // "https://" + Host: every URL handed out starts with it (S-HTTP-01)
  std::string request_url;  // base_url + target: what the JWS `url` must equal (S-JWS-09)
  std::string id;           // for a prefix route, the rest of the path after the prefix
};

using Handler = std::function<acme::Result<http::Response>(const RequestContext&)>;

// What a prefix route accepts after its prefix (RequestContext::id). Always non-empty.
enum class IdShape {
  kSegment,   // one path segment: no '/' (every route but the certificate URL)
  kSegments,  // one or more segments ("<id>/alternate/1"); the handler parses them
};

// The ACME routing table and every cross-cutting rule, applied once (anchors §2.2):
// - unknown path: 404 malformed problem; wrong method: 405 malformed problem with `Allow`
//   (S-HTTP-06); GET implies HEAD;
// - `Replay-Nonce` on every POST response, errors included (S-NONCE-01);
// - `Link: <base/dir>;rel="index"` on everything but the directory;
// - `Cache-Control: public, max-age=0, no-cache` unless the handler set one (Pebble);
// - CORS: `Access-Control-Allow-Origin: *` and exposed Link/Replay-Nonce/Location when the request
//   has an Origin, and 204 for an OPTIONS preflight (S-HTTP-02);
// - a handler's Problem becomes application/problem+json (RenderProblem); an exception becomes
//   serverInternal.
// Routes are added before serving; Dispatch is then thread-safe.
class Router {
 public:
  Router(NonceService& nonces, common::Logger& log) : nonces_(nonces), log_(log) {}

  // path is exact ("/dir") or a prefix ending in '/' ("/my-order/"), whose remainder becomes
  // RequestContext::id: non-empty, and of id_shape (ignored for an exact path).
  void Add(std::string path, std::vector<std::string> methods, Handler handler,
           IdShape id_shape = IdShape::kSegment);
  http::Response Dispatch(const http::Request& request) const;

 private:
  struct Route {
    std::string path;
    std::vector<std::string> methods;
    Handler handler;
    IdShape id_shape;
  };
  const Route* Find(const std::string& path, std::string* id) const;
  void AddCommonHeaders(const http::Request& request, const std::string& base_url,
                        http::Response& response) const;

  NonceService& nonces_;
  common::Logger& log_;
  std::vector<Route> routes_;
};

// The problem document response: Content-Type application/problem+json, status from the problem.
http::Response RenderProblem(const acme::Problem& problem);

}  // namespace mockca::wfe
