#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "faults/fault_rule.hpp"

namespace faults {

// The rules of `--faults FILE` (mockca and mockdns) or of the MOCKCA_FAULTS variable: source is a
// file name, or the JSON itself when it starts with '[' or '{' after blanks. The JSON is what
// ParseFaultRules reads (an array of rules or {"faults": [...]}). Errors name the file and the
// member or JSON position: "rules.json: faults[1].when.nth: must be an integer >= 1".
common::Result<std::vector<FaultRule>, std::string> LoadFaultRules(const std::string& source);

}  // namespace faults
