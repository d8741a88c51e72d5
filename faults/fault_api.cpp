#include "faults/fault_api.hpp"

#include <string>
#include <utility>
#include <vector>

#include "common/json.hpp"
#include "common/json_parse.hpp"

namespace faults {

namespace {

constexpr std::string_view kRoot = "/faults";

// Paths under /faults that are routes, so no rule may take them as its id.
bool IsReservedId(std::string_view id) {
  return id == "log" || id == "decisions" || id == "clear";
}

http::Response ErrorResponse(int status, const std::string& message) {
  return http::Response::Json(status, nlohmann::json{{"error", message}}.dump());
}

http::Response Ok(const nlohmann::json& body) {
  return http::Response::Json(200, body.dump());
}

http::Response MethodNotAllowed(const http::Request& request, std::string allow) {
  http::Response response =
      ErrorResponse(405, "method " + request.method + " is not allowed here; use " + allow);
  response.With("Allow", std::move(allow));
  return response;
}

// A rule object, an array of rules, or {"faults": [...]}.
common::Result<std::vector<FaultRule>, std::string> ParseBody(const std::string& body) {
  const auto parsed = common::ParseJson(body);
  if (!parsed) {
    return common::MakeErr("the body " + parsed.error());
  }
  const nlohmann::json& json = *parsed;
  if (json.is_object() && !json.contains("faults")) {
    auto rule = ParseFaultRule(json);
    if (!rule) {
      return common::MakeErr(rule.error());
    }
    return std::vector<FaultRule>{std::move(rule).value()};
  }
  return ParseFaultRules(json);
}

http::Response AddRules(FaultEngine& engine, const http::Request& request) {
  auto rules = ParseBody(request.body);
  if (!rules) {
    return ErrorResponse(400, rules.error());
  }
  for (const FaultRule& rule : rules.value()) {
    if (IsReservedId(rule.id)) {
      return ErrorResponse(400, "id: \"" + rule.id + "\" is reserved (it is a path under /faults)");
    }
  }
  auto ids = engine.AddAll(std::move(rules).value());
  if (!ids) {
    return ErrorResponse(409, ids.error());
  }
  return Ok({{"ids", ids.value()}});
}

http::Response ClearRules(FaultEngine& engine) {
  engine.Clear();
  return Ok({{"cleared", true}});
}

http::Response Root(FaultEngine& engine, const http::Request& request) {
  if (request.method == "GET") {
    return Ok(engine.RulesJson());
  }
  if (request.method == "POST") {
    return AddRules(engine, request);
  }
  if (request.method == "DELETE") {
    return ClearRules(engine);
  }
  return MethodNotAllowed(request, "GET, POST, DELETE");
}

http::Response Log(FaultEngine& engine, const http::Request& request) {
  if (request.method == "GET") {
    return Ok(engine.LogJson());
  }
  if (request.method == "DELETE") {
    engine.ClearLog();
    return Ok({{"cleared", true}});
  }
  return MethodNotAllowed(request, "GET, DELETE");
}

http::Response Decisions(const FaultEngine& engine, const http::Request& request) {
  if (request.method != "GET") {
    return MethodNotAllowed(request, "GET");
  }
  return http::Response{200, {}, engine.DecisionLines()}.With("Content-Type",
                                                              "application/x-ndjson");
}

http::Response OneRule(FaultEngine& engine, const http::Request& request, const std::string& id) {
  if (request.method == "DELETE") {
    if (!engine.Remove(id)) {
      return ErrorResponse(404, "no fault rule with id \"" + id + "\"");
    }
    return Ok({{"removed", id}});
  }
  if (request.method != "GET") {
    return MethodNotAllowed(request, "GET, DELETE");
  }
  const nlohmann::json rules = engine.RulesJson();
  for (const nlohmann::json& rule : rules["faults"]) {
    if (rule.value("id", "") == id) {
      return Ok(rule);
    }
  }
  return ErrorResponse(404, "no fault rule with id \"" + id + "\"");
}

}  // namespace

bool IsFaultsPath(std::string_view path) {
  return path == kRoot || (path.starts_with(kRoot) && path[kRoot.size()] == '/');
}

http::Response HandleFaultsRequest(FaultEngine& engine, const http::Request& request) {
  const std::string path = request.Path();
  const std::string rest = IsFaultsPath(path) ? path.substr(kRoot.size()) : "";
  if (rest.empty() || rest == "/") {
    return Root(engine, request);
  }
  const std::string segment = rest.substr(1);
  if (segment.find('/') != std::string::npos) {
    return ErrorResponse(404, "no such fault resource: " + path);
  }
  if (segment == "clear") {
    return request.method == "POST" ? ClearRules(engine) : MethodNotAllowed(request, "POST");
  }
  if (segment == "log") {
    return Log(engine, request);
  }
  if (segment == "decisions") {
    return Decisions(engine, request);
  }
  return OneRule(engine, request, segment);
}

}  // namespace faults
