#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/logger.hpp"
#include "http/message.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/jose/jws.hpp"
#include "mockca/wfe/nonce_service.hpp"

namespace faults {
class FaultEngine;
}  // namespace faults

namespace mockca::report {
class Recorder;
}  // namespace mockca::report

namespace mockca::wfe {

// What a handler gets besides the request: the URLs the router derived from it.
struct RequestContext {
  const http::Request& request;
  std::string base_url;     // "https://" + Host: every URL handed out starts with it (S-HTTP-01)
  std::string request_url;  // base_url + target: what the JWS `url` must equal (S-JWS-09)
  std::string id;           // for a prefix route, the rest of the path after the prefix
  // Where JwsAuthenticator::VerifyPost notes the protected header of a body it parsed as a JWS
  // (jose::ParseJws accepted it), for the recorder, which then does not parse the body again;
  // nullptr when nothing records.
  std::optional<jose::ProtectedHeader>* parsed_jws_header = nullptr;
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
//   serverInternal;
// - fault injection (conformance.md Part C), when an engine is given and has rules: the request
//   stage before the handler (which it may replace, delay, or cut off with a dropped or reset
//   connection: http::Delivery), the response stage after the common headers (request_faults.hpp).
//   Facts: the endpoint kind (EndpointKindOf), the method, the JWS kid as account.
// - recording (conformance.md §0), when a recorder is given: each exchange once its response is
//   final, with its endpoint kind, the ids of the request- and response-stage fault rules that
//   fired, the receive time (clock) and the time taken (report/recorder.hpp).
// Routes are added before serving; Dispatch is then thread-safe.
class Router {
 public:
  // REQUIRES: nonces, log, and faults, clock and recorder when given, outlive the router. clock
  // dates an IMF-fixdate Retry-After of an injected error (F-RA-DATE) and a recorded exchange;
  // without one, the system clock.
  Router(NonceService& nonces, common::Logger& log, faults::FaultEngine* faults = nullptr,
         const common::Clock* clock = nullptr, report::Recorder* recorder = nullptr)
      : nonces_(nonces), log_(log), faults_(faults), clock_(clock), recorder_(recorder) {}

  // path is exact ("/dir") or a prefix ending in '/' ("/my-order/"), whose remainder becomes
  // RequestContext::id: non-empty, and of id_shape (ignored for an exact path).
  void Add(std::string path, std::vector<std::string> methods, Handler handler,
           IdShape id_shape = IdShape::kSegment);
  // Serves request; with the logger at debug level (mockca --verbose) logs one line per request:
  // "<remote> <method> <target> -> <status>".
  http::Response Dispatch(const http::Request& request) const;

 private:
  struct Route {
    std::string path;
    std::vector<std::string> methods;
    Handler handler;
    IdShape id_shape;
  };
  const Route* Find(const std::string& path, std::string* id) const;
  // Serve, with the exchange recorded (REQUIRES: recorder_).
  http::Response ServeRecorded(const http::Request& request, const std::string& kind) const;
  // Dispatch without the recording; *fired gets the ids of the fault rules that fired, and
  // parsed_jws_header goes to the handler (RequestContext).
  http::Response Serve(const http::Request& request, const std::string& kind,
                       std::vector<std::string>* fired,
                       std::optional<jose::ProtectedHeader>* parsed_jws_header) const;
  // The response of the route for request (or 404 / 405 / the CORS preflight).
  http::Response Handle(const http::Request& request, const std::string& base_url,
                        std::optional<jose::ProtectedHeader>* parsed_jws_header) const;
  // with_nonce: Replay-Nonce on a POST (false: an injected error without one).
  void AddCommonHeaders(const http::Request& request, const std::string& base_url,
                        const std::string& kind, bool with_nonce, http::Response& response) const;
  common::Clock::TimePoint Now() const;

  NonceService& nonces_;
  common::Logger& log_;
  faults::FaultEngine* const faults_;
  const common::Clock* const clock_;
  report::Recorder* const recorder_;
  std::vector<Route> routes_;
};

// The problem document response: Content-Type application/problem+json, status from the problem.
http::Response RenderProblem(const acme::Problem& problem);

}  // namespace mockca::wfe
