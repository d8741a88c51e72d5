#include "mockca/server/environment.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>

namespace mockca::server {
namespace {

// A variable's value and the name it was found under: MOCKCA_<name> first, then PEBBLE_<name>.
struct Found {
  std::string name;
  std::string value;
};

std::optional<Found> Lookup(const EnvGetter& getenv, const std::string& suffix) {
  for (const char* prefix : {"MOCKCA_", "PEBBLE_"}) {
    const std::string name = prefix + suffix;
    if (std::optional<std::string> value = getenv(name)) {
      return Found{name, std::move(*value)};
    }
  }
  return std::nullopt;
}

// Pebble's truthy set for VA_NOSLEEP and VA_ALWAYS_VALID (va.go): anything else is false.
bool Truthy(const std::string& value) {
  return value == "1" || value == "true" || value == "True" || value == "TRUE";
}

// Go's strconv.Atoi: an optional sign, then decimal digits, nothing else.
std::optional<long long> Integer(const std::string& text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') {
    digits.remove_prefix(1);
    if (!digits.empty() && digits.front() == '-') {
      return std::nullopt;
    }
  }
  long long value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value;
}

// Reads an integer variable: nullopt (with a warning) when it is set but not an integer.
std::optional<long long> IntegerVariable(const EnvGetter& getenv, const std::string& suffix,
                                         std::vector<std::string>* warnings) {
  const std::optional<Found> found = Lookup(getenv, suffix);
  if (!found) {
    return std::nullopt;
  }
  std::optional<long long> value = Integer(found->value);
  if (!value) {
    warnings->push_back(found->name + "=\"" + found->value + "\" is not an integer; ignored");
  }
  return value;
}

bool BoolVariable(const EnvGetter& getenv, const std::string& suffix) {
  const std::optional<Found> found = Lookup(getenv, suffix);
  return found && Truthy(found->value);
}

// The name a warning about suffix should use (the one that was actually set).
std::string NameOf(const EnvGetter& getenv, const std::string& suffix) {
  const std::optional<Found> found = Lookup(getenv, suffix);
  return found ? found->name : "PEBBLE_" + suffix;
}

}  // namespace

EnvGetter ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): read once
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
  };
}

EnvironmentSettings ReadEnvironment(const EnvGetter& getenv, std::vector<std::string>* warnings) {
  EnvironmentSettings settings;
  auto warn = [&](const std::string& suffix, long long value, const std::string& what) {
    warnings->push_back(NameOf(getenv, suffix) + "=" + std::to_string(value) + " " + what);
  };

  // Pebble: NOSLEEP turns the sleep off whatever SLEEPTIME says.
  if (!BoolVariable(getenv, "VA_NOSLEEP")) {
    if (auto seconds = IntegerVariable(getenv, "VA_SLEEPTIME", warnings)) {
      if (*seconds >= 1) {
        // More than a day of sleep is surely a mistake; cap it rather than overflow.
        settings.va_sleep_seconds = static_cast<unsigned>(std::min<long long>(*seconds, 86400));
      } else {
        warn("VA_SLEEPTIME", *seconds, "is not >= 1; validations do not sleep");
      }
    }
  }
  settings.va_always_valid = BoolVariable(getenv, "VA_ALWAYS_VALID");

  if (auto percent = IntegerVariable(getenv, "WFE_NONCEREJECT", warnings)) {
    // Pebble clamps <0 to 0 and >100 to 99; its 100 rejects every nonce, which no client survives,
    // so mockca clips 100 to 99 as well (the documented intent: "between 0 and 99").
    if (*percent < 0) {
      warn("WFE_NONCEREJECT", *percent, "is below 0; using 0");
      settings.nonce_reject_percent = 0;
    } else if (*percent > 99) {
      warn("WFE_NONCEREJECT", *percent, "is above 99; using 99 (never every nonce)");
      settings.nonce_reject_percent = 99;
    } else {
      settings.nonce_reject_percent = static_cast<unsigned>(*percent);
    }
  }

  if (auto percent = IntegerVariable(getenv, "AUTHZREUSE", warnings)) {
    if (*percent >= 0 && *percent <= 100) {
      settings.authz_reuse_percent = static_cast<unsigned>(*percent);  // 0 = never (Pebble: 1 %)
    } else {
      warn("AUTHZREUSE", *percent, "is not within 0..100; using 100");
    }
  }

  if (auto per_page = IntegerVariable(getenv, "WFE_ORDERS_PER_PAGE", warnings)) {
    if (*per_page > 0) {
      settings.orders_per_page = static_cast<std::size_t>(*per_page);
    } else {
      warn("WFE_ORDERS_PER_PAGE", *per_page, "is not > 0; using 3");
    }
  }

  // A thousand chains or intermediates is far past any use and would take minutes to generate.
  constexpr long long kMaxChains = 1000;
  if (auto roots = IntegerVariable(getenv, "ALTERNATE_ROOTS", warnings)) {
    if (*roots >= 0 && *roots <= kMaxChains) {
      settings.alternate_roots = static_cast<unsigned>(*roots);
    } else {
      warn("ALTERNATE_ROOTS", *roots, "is not within 0..1000; using 0");
    }
  }
  if (auto length = IntegerVariable(getenv, "CHAIN_LENGTH", warnings)) {
    if (*length == 0) {
      warn("CHAIN_LENGTH", 0, "is 0, but a chain needs an intermediate; using 1");
    } else if (*length > 0 && *length <= kMaxChains) {
      settings.chain_length = static_cast<unsigned>(*length);
    } else {
      warn("CHAIN_LENGTH", *length, "is not within 1..1000; using 1");
    }
  }
  return settings;
}

}  // namespace mockca::server
