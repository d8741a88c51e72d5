#include "mockca/report/session_log_json.hpp"

#include <set>
#include <string>

#include "common/rfc3339.hpp"
#include "mockca/report/report_json.hpp"

namespace mockca::report {
namespace {

using json = nlohmann::json;

}  // namespace

json ProbesJson(const std::vector<ProbeRecord>& probes) {
  json out = json::array();
  for (const ProbeRecord& probe : probes) {
    out.push_back({{"time", common::FormatRfc3339Millis(probe.started)},
                   {"durationMs", static_cast<double>(probe.duration.count()) / 1000.0},
                   {"challenge", ValidUtf8(probe.challenge_type)},
                   {"identifier", ValidUtf8(probe.identifier)},
                   {"token", ValidUtf8(probe.token)},
                   {"target", ValidUtf8(probe.target)},
                   {"valid", probe.valid},
                   {"problem", ValidUtf8(probe.problem_type)},
                   {"detail", ValidUtf8(probe.detail)}});
  }
  return out;
}

json StatusChangesJson(const std::vector<StatusChange>& states) {
  json out = json::array();
  for (const StatusChange& change : states) {
    out.push_back({{"exchange", change.exchange},
                   {"time", common::FormatRfc3339Millis(change.time)},
                   {"object", ValidUtf8(change.object)},
                   {"url", ValidUtf8(change.url)},
                   {"from", ValidUtf8(change.from)},
                   {"to", ValidUtf8(change.to)}});
  }
  return out;
}

json FaultEventsJson(const std::vector<FaultEvent>& faults) {
  json out = json::array();
  for (const FaultEvent& fault : faults) {
    out.push_back({{"time", common::FormatRfc3339Millis(fault.time)},
                   {"rule", ValidUtf8(fault.rule)},
                   {"fault", ValidUtf8(fault.fault)},
                   {"where", ValidUtf8(fault.where)},
                   {"subject", ValidUtf8(fault.subject)}});
  }
  return out;
}

json FiredRulesJson(const ClientRecord& client, const json& engine_rules) {
  std::set<std::string> fired;
  for (const Exchange& exchange : client.exchanges) {
    fired.insert(exchange.fault_rules.begin(), exchange.fault_rules.end());
  }
  for (const FaultEvent& fault : client.fault_events) {
    fired.insert(fault.rule);
  }
  json out = json::array();
  const json* listed = engine_rules.is_object() && engine_rules.contains("faults") &&
                               engine_rules["faults"].is_array()
                           ? &engine_rules["faults"]
                           : nullptr;
  for (const json& rule : listed != nullptr ? *listed : json::array()) {
    const auto id = rule.find("id");
    if (id != rule.end() && id->is_string() && fired.erase(id->get<std::string>()) != 0) {
      out.push_back(rule);
    }
  }
  for (const std::string& id : fired) {
    out.push_back({{"id", ValidUtf8(id)}});
  }
  return out;
}

}  // namespace mockca::report
