#include "faults/fault_rules_file.hpp"

#include <fstream>
#include <sstream>

#include "common/json_parse.hpp"

namespace faults {
namespace {

bool IsInlineJson(const std::string& source) {
  const auto first = source.find_first_not_of(" \t\r\n");
  return first != std::string::npos && (source[first] == '[' || source[first] == '{');
}

}  // namespace

common::Result<std::vector<FaultRule>, std::string> LoadFaultRules(const std::string& source) {
  std::string text = source;
  std::string name = "inline rules";
  if (!IsInlineJson(source)) {
    std::ifstream file(source, std::ios::binary);
    if (!file) {
      return common::MakeErr(source + ": cannot be read");
    }
    std::ostringstream content;
    content << file.rdbuf();
    text = content.str();
    name = source;
  }
  const auto json = common::ParseJson(text);
  if (!json) {
    return common::MakeErr(name + " " + json.error());
  }
  auto rules = ParseFaultRules(*json);
  if (!rules) {
    return common::MakeErr(name + ": " + rules.error());
  }
  return std::move(rules).value();
}

}  // namespace faults
