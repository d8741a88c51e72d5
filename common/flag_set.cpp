#include "common/flag_set.hpp"

namespace common {

void FlagSet::String(std::vector<std::string> names, std::string* target, std::string help) {
  flags_.push_back({std::move(names), target, nullptr, std::move(help), "\"" + *target + "\""});
}

void FlagSet::Bool(std::vector<std::string> names, bool* target, std::string help) {
  flags_.push_back(
      {std::move(names), nullptr, target, std::move(help), *target ? "true" : "false"});
}

FlagSet::Flag* FlagSet::Find(std::string_view name) {
  for (auto& flag : flags_) {
    for (const auto& candidate : flag.names) {
      if (candidate == name) {
        return &flag;
      }
    }
  }
  return nullptr;
}

Status<std::string> FlagSet::Parse(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      // Go's flag package: "--" ends the flags; we take no positional arguments after it either.
      if (i + 1 < argc) {
        return "unexpected argument \"" + std::string(argv[i + 1]) + "\"";
      }
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      return "unexpected argument \"" + std::string(arg) + "\"";
    }
    arg.remove_prefix(arg[1] == '-' ? 2 : 1);
    std::string_view name = arg;
    std::string_view value;
    bool has_value = false;
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    if (name == "h" || name == "help") {
      return std::string("help requested");
    }
    Flag* flag = Find(name);
    if (flag == nullptr) {
      return "flag provided but not defined: -" + std::string(name);
    }
    if (flag->bool_target != nullptr) {
      if (!has_value || value == "true" || value == "1") {
        *flag->bool_target = true;
      } else if (value == "false" || value == "0") {
        *flag->bool_target = false;
      } else {
        return "invalid boolean value \"" + std::string(value) + "\" for -" + std::string(name);
      }
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        return "flag needs an argument: -" + std::string(name);
      }
      value = argv[++i];
    }
    *flag->string_target = std::string(value);
  }
  return {};
}

std::string FlagSet::Usage() const {
  std::string out = "Usage of " + program_ + ":\n";
  for (const auto& flag : flags_) {
    out += "  -" + flag.names.front();
    for (std::size_t i = 1; i < flag.names.size(); ++i) {
      out += ", -" + flag.names[i];
    }
    out += "\n    \t" + flag.help + " (default " + flag.default_text + ")\n";
  }
  return out;
}

}  // namespace common
