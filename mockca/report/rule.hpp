#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mockca/report/records.hpp"

namespace mockca::report {

// One client rule of conformance.md Part B, decided over one client's records. judge never
// defaults to PASS: when the records hold no situation the rule is about, it says NOT-TESTED
// (conformance.md §0).
struct Rule {
  std::string id;           // "C-NONCE-02"
  std::string level;        // the item's Lvl column: "MUST", "SHOULD", "BP", "SEC", ...
  std::string requirement;  // one line, from the item's Requirement column
  std::function<Finding(const ClientRecord&)> judge;
};

// Every implemented rule, in conformance.md order. Items not listed here appear in the report as
// NOT-TESTED with "not implemented" (ReportJson).
const std::vector<Rule>& AllRules();

// Runs one rule over client. The records hold whatever the client sent; a judge that still trips
// over it (a JSON type error) costs that rule only: NOT-TESTED with the reason, never a PASS.
Finding JudgeSafely(const Rule& rule, const ClientRecord& client);

// Runs every rule over client (JudgeSafely), in AllRules() order.
std::vector<Finding> Judge(const ClientRecord& client);

}  // namespace mockca::report
