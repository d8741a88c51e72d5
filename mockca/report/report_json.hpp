#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/json.hpp"
#include "mockca/report/records.hpp"
#include "mockca/report/rule.hpp"

namespace mockca::report {

// The client conformance report as JSON (conformance.md §0 "Report mapping"):
//   {"generated": RFC 3339, "spec": "conformance.md Part B", "faults": active_faults,
//    "clients": [{"id", "accountUrl", "userAgent", "exchanges": n, "dropped": n,
//                 "activeFaults": [the rules of active_faults that fired for this client
//                                  (FiredRulesJson)],
//                 "summary": {"FAIL": n, "WARN": n, "NOTE": n, "PASS": n, "NOT-TESTED": n},
//                 "findings": [{"rule", "verdict", "level", "requirement", "summary",
//                               "evidence": [{"id", "method", "url", "status", "time"}]}],
//                 "timeline": [{"id", "time", "method", "url", "kind", "status", "problem",
//                               "key" (RecordedJws::verifying_key, "" if none),
//                               "faults": [rule ids]}],
//                 "vaProbes": ProbesJson, "stateHistory": StatusChangesJson,
//                 "faultEvents": FaultEventsJson (session_log_json.hpp)}]}
// active_faults is the fault engine's RulesJson(), copied as is. Clients keep the order given.
// Findings: what Judge(client) gives (each rule of AllRules() run on its own, so that one that
// throws is NOT-TESTED "rule error: ..." rather than the end of the report), a finding without a
// level taking the rule's, plus every Part B item no rule judges (NOT-TESTED, "not implemented";
// a sub-rule such as "C-ACCT-06a" counts for its item); ordered FAIL, WARN, NOTE, PASS, NOT-TESTED,
// and within a verdict in conformance.md order. An evidence id whose exchange the recorder dropped
// keeps its id, with null method, url, status and time. Times of exchanges carry milliseconds
// ("2026-11-23T13:36:31.250Z"). Every string taken from the records is made valid UTF-8 (invalid
// bytes become U+FFFD), so the result always dumps. Deterministic for equal inputs.
nlohmann::json ReportJson(const std::vector<ClientRecord>& clients,
                          const nlohmann::json& active_faults, TimePoint generated);

// The same, judged by rules rather than AllRules() (rules in conformance.md order). A rule whose
// judge throws is NOT-TESTED with "rule error: <what>" for that client, never a PASS.
nlohmann::json ReportJson(const std::vector<ClientRecord>& clients,
                          const nlohmann::json& active_faults, TimePoint generated,
                          const std::vector<Rule>& rules);

// The report as the text of a file (--report-on-exit FILE): ReportJson pretty-printed with an
// indent of 2 and a final newline.
std::string ReportFileText(const std::vector<ClientRecord>& clients,
                           const nlohmann::json& active_faults, TimePoint generated);

// Serializes any report JSON, replacing invalid UTF-8 rather than throwing. indent as
// nlohmann::json::dump (-1: compact).
std::string DumpReport(const nlohmann::json& report, int indent);

// text with every invalid UTF-8 sequence replaced by U+FFFD (overlong forms and surrogates
// included); valid text comes back unchanged.
std::string ValidUtf8(std::string_view text);

}  // namespace mockca::report
