#pragma once

#include "common/json.hpp"
#include "mockca/report/records.hpp"

namespace mockca::report {

// The parts of a client's session log that the report shows besides its exchanges, as JSON
// (strings made valid UTF-8, times RFC 3339 with milliseconds):
//   probes:  [{"time", "durationMs", "challenge", "identifier", "token", "target", "valid",
//              "problem", "detail"}]
//   states:  [{"exchange", "time", "object", "url", "from", "to"}]
//   faults:  [{"time", "rule", "fault", "where", "subject"}]
nlohmann::json ProbesJson(const std::vector<ProbeRecord>& probes);
nlohmann::json StatusChangesJson(const std::vector<StatusChange>& states);
nlohmann::json FaultEventsJson(const std::vector<FaultEvent>& faults);

// The rules of engine_rules (the fault engine's RulesJson(): {"faults": [{"id", ...}]}) that
// fired for client, on an exchange or below the router, in engine order; a fired id the engine
// no longer lists comes as {"id": id} (after them, in id order).
nlohmann::json FiredRulesJson(const ClientRecord& client, const nlohmann::json& engine_rules);

}  // namespace mockca::report
