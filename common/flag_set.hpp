#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace common {

// Command-line flags in the form Go's flag package accepts (-name value, -name=value, --name,
// --name=value; boolean flags take no separate value), so tools that start Pebble-family binaries
// can start ours unchanged. Targets are owned by the caller and must outlive Parse().
class FlagSet {
 public:
  explicit FlagSet(std::string program) : program_(std::move(program)) {}

  // names: the first is the documented one, the rest are aliases (e.g. {"dnsserver", "dns01"}).
  void String(std::vector<std::string> names, std::string* target, std::string help);
  void Bool(std::vector<std::string> names, bool* target, std::string help);

  // Parses argv[1..]. Returns an error line for an unknown flag, a missing value, a bad boolean or
  // a positional argument. "-h"/"-help" yields the error "help requested".
  Status<std::string> Parse(int argc, const char* const* argv);
  std::string Usage() const;

 private:
  struct Flag {
    std::vector<std::string> names;
    std::string* string_target = nullptr;
    bool* bool_target = nullptr;
    std::string help;
    std::string default_text;
  };
  Flag* Find(std::string_view name);

  std::string program_;
  std::vector<Flag> flags_;
};

}  // namespace common
