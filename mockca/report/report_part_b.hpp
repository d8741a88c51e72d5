#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mockca::report {

// One item of conformance.md Part B as the report lists it, whether or not a rule judges it.
struct PartBItem {
  std::string id;           // "C-NONCE-02"
  std::string level;        // the Lvl column, e.g. "MUST", "SHOULD / MUST", "BP"
  std::string requirement;  // one line, paraphrasing the Requirement column
};

// Every Part B item, in conformance.md order (IDs are stable: conformance.md §0). The report lists
// the items no rule of AllRules() judges as NOT-TESTED, "not implemented".
const std::vector<PartBItem>& PartBItems();

// The position in PartBItems() of the item a rule id belongs to: the item itself ("C-ACCT-06"),
// or one of its sub-rules ("C-ACCT-06a", conformance.md C-ACCT-06). nullopt for anything else.
std::optional<std::size_t> PartBIndexOf(std::string_view rule_id);

}  // namespace mockca::report
