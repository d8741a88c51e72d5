#pragma once

#include <string_view>

#include "faults/fault_engine.hpp"
#include "http/message.hpp"

namespace faults {

// The management API of the fault engine, shared by mockca's and mockdns's management servers
// (transport-free: the server hands over the request and sends the response back).
//
//   GET    /faults            200 RulesJson()
//   POST   /faults            a rule object, an array of them, or {"faults": [...]}: all or
//                             nothing; 200 {"ids": [...]}, 400 invalid rule, 409 id in use
//   DELETE /faults            remove every rule (POST /faults/clear does the same)
//   GET    /faults/<id>       200 that rule as in RulesJson(), 404 when unknown
//   DELETE /faults/<id>       200, 404 when unknown
//   GET    /faults/log        200 LogJson();  DELETE /faults/log: ClearLog()
//   GET    /faults/decisions  200 DecisionLines(), application/x-ndjson
//
// Errors are {"error": "..."} (application/json); a method a path does not serve gets 405 with
// Allow. Body size limits are the server's job.

// True for "/faults" and every path under "/faults/" (the query string already removed).
bool IsFaultsPath(std::string_view path);

// REQUIRES: IsFaultsPath(request.Path()).
http::Response HandleFaultsRequest(FaultEngine& engine, const http::Request& request);

}  // namespace faults
