#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "faults/fault_engine.hpp"
#include "http/message.hpp"

namespace mockca::wfe {

// The HTTP-level faults of conformance.md Part C, as Router::Dispatch carries them out: the
// request stage (before the handler) and the response stage (after it, common headers included).

// The `kid` of body when it is a flattened JWS whose protected header has a string one (the
// account URL), else "". Best effort: no signature or structure check beyond that.
std::string JwsKid(std::string_view body);

// What the engine matches a request on: where = kind, the method, account = JwsKid(body), the
// identifier values of a JWS payload's "identifiers" (newOrder), subject = "METHOD target".
faults::Facts RequestFacts(const http::Request& request, std::string kind);

// when as an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7), for Retry-After.
std::string ImfFixdate(common::Clock::TimePoint when);

// Where a fault takes effect: the endpoint kind, the origin of the URLs handed out, and now.
struct FaultSite {
  std::string kind;
  std::string base_url;
  common::Clock::TimePoint now;
};

// The request-stage injections folded into what the router does.
struct RequestFaultPlan {
  // Set by error, empty200, htmlError and drop (the first of them wins): sent instead of the
  // handler's response, and the handler is not run.
  std::optional<http::Response> reply;
  bool common_headers = true;  // the router's Link / Cache-Control / CORS headers
  bool nonce = true;           // and its Replay-Nonce (F-NONCE-OMIT-ERR, F-HTML-5XX: false)
  // Delays add up; drop and dropAfter close the connection, reset breaks it mid-body.
  http::Delivery delivery;
};

// injections: faults::FaultEngine::Match(Stage::kRequest, ...). Others than the request stage's
// kinds are ignored.
//  - error: a problem document of the fault's status (default 500) and type (a short name gets
//    the ACME URN prefix), detail (default "injected fault <rule id>"), Retry-After as
//    delta-seconds or an IMF-fixdate of now + seconds, `Link: <base/docs/rate-limits>;rel="help"`
//    on a 429 (F-503, F-429, F-RA-DATE); no Replay-Nonce with omit_nonce (F-NONCE-OMIT-ERR);
//  - empty200: 200, empty body, no Content-Type;
//  - htmlError: the status (default 502) with a text/html body, nothing else (F-HTML-5XX);
//  - delay: delivery.delay += delay_ms; drop: close before the handler; dropAfter: run the
//    handler, then close; reset: the response is cut mid-body and the connection reset
//    (F-CONN-RESET).
RequestFaultPlan PlanRequestFaults(const std::vector<faults::Injection>& injections,
                                   const FaultSite& site);

// injections: faults::FaultEngine::Match(Stage::kResponse, ...), applied in order to response:
//  - contentType: Content-Type becomes value ("" removes it);
//  - truncateBody: the first half of the body (the server derives Content-Length from it);
//  - invalidJson: a body that is not JSON;
//  - extraFields: unknown members added to a JSON object body, and in the directory an extra
//    endpoint and meta member (F-UNKNOWN-FIELDS, F-DIR-EXTRA); other bodies are left alone;
//  - omitHeader: every header of that name (case-insensitive) removed.
void ApplyResponseFaults(const std::vector<faults::Injection>& injections, const FaultSite& site,
                         http::Response& response);

}  // namespace mockca::wfe
