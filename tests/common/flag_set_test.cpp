#include "common/flag_set.hpp"

#include <vector>

#include <catch2/catch.hpp>

namespace flag_set_test {

namespace {

// A flag set with one string flag (-name, alias -alias) and one boolean (-b), as a program sees it.
struct Flags {
  std::string name = "default";
  bool b = false;
  common::FlagSet set{"prog"};

  Flags() {
    set.String({"name", "alias"}, &name, "a string");
    set.Bool({"b"}, &b, "a boolean");
  }
  common::Status<std::string> Parse(const std::vector<const char*>& args) {
    std::vector<const char*> argv = {"prog"};
    argv.insert(argv.end(), args.begin(), args.end());
    return set.Parse(static_cast<int>(argv.size()), argv.data());
  }
};

struct ValueCase {
  const char* name;
  std::vector<const char*> args;
  const char* want;
};

TEST_CASE("FlagSet accepts every Go form of a string flag", "[common][flags]") {
  const ValueCase cases[] = {
      {"separate value", {"-name", "v"}, "v"},
      {"equals", {"-name=v"}, "v"},
      {"double dash separate", {"--name", "v"}, "v"},
      {"double dash equals", {"--name=v"}, "v"},
      {"empty value after equals", {"-name="}, ""},
      {"empty separate value", {"-name", ""}, ""},
      {"value with equals sign", {"-name=a=b"}, "a=b"},
      {"value starting with a dash", {"-name", "-x"}, "-x"},
      {"alias", {"-alias", "w"}, "w"},
      {"last one wins", {"-name", "a", "-alias=b"}, "b"},
      {"absent keeps the default", {}, "default"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      Flags flags;
      const auto status = flags.Parse(tc.args);
      REQUIRE(status.ok());
      CHECK(flags.name == tc.want);
    }
  }
}

TEST_CASE("FlagSet boolean flags take no separate value", "[common][flags]") {
  Flags flags;
  REQUIRE(flags.Parse({"-b"}).ok());
  CHECK(flags.b);

  REQUIRE(flags.Parse({"-b=false"}).ok());
  CHECK_FALSE(flags.b);
  REQUIRE(flags.Parse({"--b=1"}).ok());
  CHECK(flags.b);
  REQUIRE(flags.Parse({"-b=0"}).ok());
  CHECK_FALSE(flags.b);

  // As in Go, "-b false" is the flag followed by a positional argument.
  const auto positional = flags.Parse({"-b", "false"});
  REQUIRE_FALSE(positional.ok());
  CHECK(positional.error() == "unexpected argument \"false\"");
}

struct ErrorCase {
  const char* name;
  std::vector<const char*> args;
  const char* error;
};

TEST_CASE("FlagSet reports Go error lines", "[common][flags]") {
  const ErrorCase cases[] = {
      {"unknown flag", {"-nope"}, "flag provided but not defined: -nope"},
      {"unknown double dash flag with value", {"--nope=1"}, "flag provided but not defined: -nope"},
      {"missing value", {"-name"}, "flag needs an argument: -name"},
      {"positional argument", {"file.txt"}, "unexpected argument \"file.txt\""},
      {"lone dash", {"-"}, "unexpected argument \"-\""},
      {"bad boolean", {"-b=maybe"}, "invalid boolean value \"maybe\" for -b"},
      {"help", {"-h"}, "help requested"},
      {"long help", {"--help"}, "help requested"},
      {"help after a good flag", {"-name", "x", "-help"}, "help requested"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      Flags flags;
      const auto status = flags.Parse(tc.args);
      REQUIRE_FALSE(status.ok());
      CHECK(status.error() == tc.error);
    }
  }
}

TEST_CASE("FlagSet usage lists names, aliases and defaults", "[common][flags]") {
  Flags flags;
  const std::string usage = flags.set.Usage();
  CHECK_THAT(usage, Catch::StartsWith("Usage of prog:\n"));
  CHECK_THAT(usage, Catch::Contains("-name, -alias"));
  CHECK_THAT(usage, Catch::Contains("a string (default \"default\")"));
  CHECK_THAT(usage, Catch::Contains("a boolean (default false)"));
}

}  // namespace

TEST_CASE("FlagSet stops at -- and refuses arguments after it", "[common][flags]") {
  Flags flags;
  CHECK(flags.Parse({"-name", "v", "--"}).ok());
  CHECK(flags.name == "v");
  Flags more;
  const auto status = more.Parse({"--", "-b"});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error() == "unexpected argument \"-b\"");
  CHECK_FALSE(more.b);
}

}  // namespace flag_set_test
