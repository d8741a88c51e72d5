#include "mockca/wfe/router.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string_view>

#include "common/ascii.hpp"
#include "faults/fault_engine.hpp"
#include "mockca/report/recorder.hpp"
#include "mockca/wfe/endpoint_kind.hpp"
#include "mockca/wfe/paths.hpp"
#include "mockca/wfe/request_faults.hpp"

namespace mockca::wfe {
namespace {

bool Allows(const std::vector<std::string>& methods, const std::string& method) {
  const bool listed = std::find(methods.begin(), methods.end(), method) != methods.end();
  const bool head_via_get =
      method == "HEAD" && std::find(methods.begin(), methods.end(), "GET") != methods.end();
  return listed || head_via_get;
}

std::string AllowHeader(const std::vector<std::string>& methods) {
  std::string allow;
  for (const auto& method : methods) {
    allow += (allow.empty() ? "" : ", ") + method;
    if (method == "GET") {
      allow += ", HEAD";
    }
  }
  return allow;
}

void NoteFired(const std::vector<faults::Injection>& injections, std::vector<std::string>* fired) {
  if (fired != nullptr) {
    for (const auto& injection : injections) {
      fired->push_back(injection.rule_id);
    }
  }
}

bool HasHeader(const http::Response& response, const std::string& name) {
  return std::any_of(response.headers.begin(), response.headers.end(),
                     [&](const auto& header) { return header.first == name; });
}

// Every URL mockca serves is built from the Host header, so it must be exactly one valid
// authority (RFC 9112 §3.2: 400 for none, several, or an invalid one): host or [IP-literal],
// optional :port, in RFC 3986 characters. Returns the problem's detail, or "" when valid.
std::string HostError(const http::Request& request) {
  const auto count = std::count_if(
      request.headers.begin(), request.headers.end(),
      [](const auto& header) { return common::EqualsIgnoreCase(header.first, "Host"); });
  if (count > 1 || request.host.empty()) {
    return "the request must carry exactly one non-empty Host header";
  }
  const bool valid = std::all_of(request.host.begin(), request.host.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
           std::string_view("-._~%!$&'()*+,;=:[]").find(c) != std::string_view::npos;
  });
  return valid ? "" : "the Host header is not a valid authority (host[:port])";
}

}  // namespace

http::Response RenderProblem(const acme::Problem& problem) {
  // A detail may quote request bytes (a path, a Content-Type) that are not UTF-8: replaced, so
  // a hostile request still gets its problem document rather than a 500.
  http::Response response{
      problem.status,
      {},
      acme::ToJson(problem).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)};
  response.With("Content-Type", "application/problem+json; charset=utf-8");
  return response;
}

void Router::Add(std::string path, std::vector<std::string> methods, Handler handler,
                 IdShape id_shape) {
  routes_.push_back({std::move(path), std::move(methods), std::move(handler), id_shape});
}

const Router::Route* Router::Find(const std::string& path, std::string* id) const {
  for (const auto& route : routes_) {
    if (route.path.back() != '/') {
      if (route.path == path) {
        return &route;
      }
      continue;
    }
    if (path.size() > route.path.size() && path.compare(0, route.path.size(), route.path) == 0) {
      *id = path.substr(route.path.size());
      if (route.id_shape == IdShape::kSegments || id->find('/') == std::string::npos) {
        return &route;
      }
    }
  }
  return nullptr;
}

void Router::AddCommonHeaders(const http::Request& request, const std::string& base_url,
                              const std::string& kind, bool with_nonce,
                              http::Response& response) const {
  if (request.method == "POST" && with_nonce) {
    response.With("Replay-Nonce", nonces_.Issue(kind));  // S-NONCE-01, errors included
  }
  if (request.Path() != paths::kDirectory) {
    response.With("Link", "<" + base_url + paths::kDirectory + ">;rel=\"index\"");
  }
  if (!HasHeader(response, "Cache-Control")) {
    response.With("Cache-Control", "public, max-age=0, no-cache");
  }
  if (!request.Header("Origin").empty()) {
    response.With("Access-Control-Allow-Origin", "*");
    response.With("Access-Control-Expose-Headers", "Link, Replay-Nonce, Location");
  }
}

common::Clock::TimePoint Router::Now() const {
  return clock_ != nullptr ? clock_->Now() : std::chrono::system_clock::now();
}

http::Response Router::Dispatch(const http::Request& request) const {
  const std::string kind = EndpointKindOf(request.Path());
  http::Response response =
      recorder_ == nullptr ? Serve(request, kind, nullptr, nullptr) : ServeRecorded(request, kind);
  if (log_.Enabled(common::Logger::Level::kDebug)) {  // --verbose: one line per request
    log_.Debug(request.remote + " " + request.method + " " + request.target + " -> " +
               std::to_string(response.status));
  }
  return response;
}

http::Response Router::ServeRecorded(const http::Request& request, const std::string& kind) const {
  const common::Clock::TimePoint received = Now();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> fired;
  std::optional<jose::ProtectedHeader> parsed_jws_header;
  http::Response response = Serve(request, kind, &fired, &parsed_jws_header);
  const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  recorder_->Record(request, response, kind, std::move(fired), received, duration,
                    parsed_jws_header ? &*parsed_jws_header : nullptr);
  return response;
}

http::Response Router::Serve(const http::Request& request, const std::string& kind,
                             std::vector<std::string>* fired,
                             std::optional<jose::ProtectedHeader>* parsed_jws_header) const {
  if (const std::string host_error = HostError(request); !host_error.empty()) {
    http::Response response = RenderProblem(acme::Malformed(host_error));
    if (request.method == "POST") {
      response.With("Replay-Nonce", nonces_.Issue(kind));  // S-NONCE-01
    }
    return response;
  }
  const std::string base_url = "https://" + request.host;
  if (faults_ == nullptr || faults_->Idle()) {
    http::Response response = Handle(request, base_url, parsed_jws_header);
    AddCommonHeaders(request, base_url, kind, true, response);
    return response;
  }
  const faults::Facts facts = RequestFacts(request, kind);
  const FaultSite site{kind, base_url, Now()};
  const auto request_injections = faults_->Match(faults::Stage::kRequest, facts);
  NoteFired(request_injections, fired);
  RequestFaultPlan plan = PlanRequestFaults(request_injections, site);
  http::Response response =
      plan.reply ? std::move(*plan.reply) : Handle(request, base_url, parsed_jws_header);
  if (plan.common_headers) {
    AddCommonHeaders(request, base_url, kind, plan.nonce, response);
  }
  if (plan.delivery.mode != http::Delivery::Mode::kClose) {
    // Nothing reaches the client of a dropped connection, so nothing to mutate.
    const auto response_injections = faults_->Match(faults::Stage::kResponse, facts);
    NoteFired(response_injections, fired);
    ApplyResponseFaults(response_injections, site, response);
  }
  response.delivery.delay += plan.delivery.delay;
  if (plan.delivery.mode != http::Delivery::Mode::kNormal) {
    response.delivery.mode = plan.delivery.mode;
  }
  return response;
}

http::Response Router::Handle(const http::Request& request, const std::string& base_url,
                              std::optional<jose::ProtectedHeader>* parsed_jws_header) const {
  std::string id;
  const Route* route = Find(request.Path(), &id);
  http::Response response;
  if (request.method == "OPTIONS" && route != nullptr) {
    // S-HTTP-02: a CORS preflight.
    response = http::Response{204, {}, {}};
    response.With("Access-Control-Allow-Methods", AllowHeader(route->methods))
        .With("Access-Control-Allow-Headers", "Content-Type")
        .With("Access-Control-Max-Age", "5");
  } else if (route == nullptr) {
    response = RenderProblem(acme::NotFound("no such resource: " + request.Path()));
  } else if (!Allows(route->methods, request.method)) {
    // S-HTTP-06: 405, malformed, with Allow.
    response = RenderProblem(
        acme::MethodNotAllowed(request.method + " is not allowed on " + request.Path()));
    response.With("Allow", AllowHeader(route->methods));
  } else {
    const RequestContext context{request, base_url, base_url + request.target, id,
                                 parsed_jws_header};
    try {
      auto result = route->handler(context);
      response = result ? std::move(result).value() : RenderProblem(result.error());
    } catch (const std::exception& e) {
      log_.Error(request.method + " " + request.target + ": " + e.what());
      response = RenderProblem(acme::ServerInternal("internal error"));
    }
  }
  return response;
}

}  // namespace mockca::wfe
