#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "mockca/jose/jws.hpp"
#include "mockca/report/records.hpp"

namespace mockca::report {

// One Exchange from what the router saw and answered, with id 0 (the Recorder numbers it), and
// parsed_jws_header, when not null, the protected header jose::ParseJws gave for request.body:
// url = "https://" + Host + target; headers in their original case; bodies capped at
// Exchange::kBodyCap (with the truncated flags); the response body of a HEAD is "" (the server
// sends none); jws for a POST whose body is a JSON object, decoded only as far as
// DecodeJwsHeaderFields (what recording needs; FullJws decodes the rest from the kept body;
// HeaderFieldsOf(*parsed_jws_header) when given) unless the body was truncated, then in full
// (DecodeJws of the whole body); problem_type the
// string "type" of a JSON object response body when the status is 4xx/5xx or the Content-Type is
// application/problem+json. A response whose delivery a fault broke (http::Delivery) is recorded
// without its body (closed: without status and headers too), and broken_delivery says how. Pure;
// never throws on any input.
Exchange BuildExchange(const http::Request& request, const http::Response& response,
                       std::string kind, std::vector<std::string> fault_rules, TimePoint received,
                       std::chrono::microseconds duration,
                       const jose::ProtectedHeader* parsed_jws_header = nullptr);

// The exchange's JWS decoded in full (DecodeJws), verifying_key kept: exchange.jws itself when
// BuildExchange decoded it in full (a truncated request body), else decoded from the kept body.
std::optional<RecordedJws> FullJws(const Exchange& exchange);

// The header values named name (case-insensitive), in order.
std::vector<std::string> HeaderValues(const Headers& headers, std::string_view name);

// "https://host:port" of an absolute URL; "" when it has no "://".
std::string OriginOf(const std::string& url);
// target made absolute against origin when it is a path ("/..."); else target itself.
std::string AbsoluteUrl(const std::string& target, const std::string& origin);

// One Link header value: its target (between < and >) and what follows (the parameters).
struct LinkValue {
  std::string target;
  std::string params;
};
// Every Link header of headers that has a <target>, in order (one value per header line).
std::vector<LinkValue> LinkValues(const Headers& headers);

}  // namespace mockca::report
