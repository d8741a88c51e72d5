#include "mockca/wfe/router.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include "faults/fault_engine.hpp"
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

bool HasHeader(const http::Response& response, const std::string& name) {
  return std::any_of(response.headers.begin(), response.headers.end(),
                     [&](const auto& header) { return header.first == name; });
}

}  // namespace

http::Response RenderProblem(const acme::Problem& problem) {
  http::Response response{problem.status, {}, acme::ToJson(problem).dump(2)};
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
  const std::string base_url = "https://" + request.host;
  const std::string kind = EndpointKindOf(request.Path());
  if (faults_ == nullptr || faults_->Idle()) {
    http::Response response = Handle(request, base_url);
    AddCommonHeaders(request, base_url, kind, true, response);
    return response;
  }
  const faults::Facts facts = RequestFacts(request, kind);
  const FaultSite site{kind, base_url, Now()};
  RequestFaultPlan plan = PlanRequestFaults(faults_->Match(faults::Stage::kRequest, facts), site);
  http::Response response = plan.reply ? std::move(*plan.reply) : Handle(request, base_url);
  if (plan.common_headers) {
    AddCommonHeaders(request, base_url, kind, plan.nonce, response);
  }
  if (plan.delivery.mode != http::Delivery::Mode::kClose) {
    // Nothing reaches the client of a dropped connection, so nothing to mutate.
    ApplyResponseFaults(faults_->Match(faults::Stage::kResponse, facts), site, response);
  }
  response.delivery.delay += plan.delivery.delay;
  if (plan.delivery.mode != http::Delivery::Mode::kNormal) {
    response.delivery.mode = plan.delivery.mode;
  }
  return response;
}

http::Response Router::Handle(const http::Request& request, const std::string& base_url) const {
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
    const RequestContext context{request, base_url, base_url + request.target, id};
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
