#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mockca::server {

// Looks up one environment variable: nullopt when it is unset. Injected so that tests need no
// process environment (anchors §1.9: Pebble reads os.Getenv inside wfe.New/va.New).
using EnvGetter = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (std::getenv). Only main uses it.
EnvGetter ProcessEnvironment();

// Pebble's chaos knobs (pebble.md §1.3). Each variable is read as MOCKCA_<NAME>, else as
// PEBBLE_<NAME> (MOCKCA_ wins when both are set). The defaults below are what an UNSET variable
// means to mockca: deterministic and friendly, unlike Pebble (no sleep instead of 0..4 s, no nonce
// rejection instead of 5 %, always reuse instead of about 51 %).
struct EnvironmentSettings {
  // VA_NOSLEEP (1/true/True/TRUE) and VA_SLEEPTIME (int >= 1): each validation first sleeps a
  // uniform 0..va_sleep_seconds-1 whole seconds, drawn from the seeded Rng; 0 = never sleep.
  // Unset: 0 (Pebble: 5). NOSLEEP wins over SLEEPTIME, as in Pebble.
  unsigned va_sleep_seconds = 0;
  // VA_ALWAYS_VALID (same truthy set): every challenge succeeds without any network request.
  bool va_always_valid = false;
  // WFE_NONCEREJECT: percentage of valid nonces answered badNonce (and consumed). Clamped to
  // 0..99: Pebble clips >100 to 99 but lets exactly 100 through, which rejects every nonce and
  // makes the server unusable; mockca clips 100 to 99 too, with a warning. Unset: 0 (Pebble: 5).
  unsigned nonce_reject_percent = 0;
  // AUTHZREUSE: the chance, in percent, that newOrder reuses a valid authorization. mockca draws
  // roll < p, so 0 never reuses and 100 always does (Pebble reuses unless roll > p: 50 gives about
  // 51 % and 0 still reuses 1 % of the time). Out of 0..100: the default. Unset: 100 (Pebble: 50).
  unsigned authz_reuse_percent = 100;
  // WFE_ORDERS_PER_PAGE (int > 0): page size of the account's orders list. Default 3, as Pebble.
  std::size_t orders_per_page = 3;
  // ALTERNATE_ROOTS (int >= 0): extra chains, each with its own root. Default 0.
  unsigned alternate_roots = 0;
  // CHAIN_LENGTH (int >= 0): intermediates per chain. Default 1. 0 becomes 1 with a warning
  // (Pebble panics: "At least one intermediate must be present").
  unsigned chain_length = 1;
};

// Reads every PEBBLE_*/MOCKCA_* variable above through getenv. A value that does not parse, or is
// out of range, keeps the default (or is clamped, as documented per field) and adds a line to
// *warnings, naming the variable; nothing here is fatal (Pebble ignores such values silently).
// Applied values that change behaviour are not logged here; the caller does that.
EnvironmentSettings ReadEnvironment(const EnvGetter& getenv, std::vector<std::string>* warnings);

}  // namespace mockca::server
