#pragma once

#include <cstdio>
#include <cstdlib>

// FUZZ_CHECK(cond): the oracle of a fuzz target. On failure it names the broken property and
// aborts, which libFuzzer (and the replay driver, via the abort) reports as a crash.
#define FUZZ_CHECK(cond)                                                             \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                  \
    }                                                                                \
  } while (false)
