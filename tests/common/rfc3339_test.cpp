#include "common/rfc3339.hpp"

#include <catch2/catch.hpp>

namespace rfc3339_test {

namespace {

using std::chrono::system_clock;

system_clock::time_point At(long long seconds) {
  return system_clock::time_point{std::chrono::seconds{seconds}};
}

TEST_CASE("FormatRfc3339 writes UTC with Z and whole seconds", "[rfc3339]") {
  CHECK(common::FormatRfc3339(At(0)) == "1970-01-01T00:00:00Z");
  CHECK(common::FormatRfc3339(At(1795441591)) == "2026-11-23T13:46:31Z");
  CHECK(common::FormatRfc3339(At(1795441591) + std::chrono::milliseconds(999)) ==
        "2026-11-23T13:46:31Z");
}

TEST_CASE("ParseRfc3339 reads what FormatRfc3339 writes and RFC 3339's other forms", "[rfc3339]") {
  CHECK(common::ParseRfc3339("2026-11-23T13:46:31Z") == At(1795441591));
  CHECK(common::ParseRfc3339("2026-11-23t13:46:31z") == At(1795441591));
  CHECK(common::ParseRfc3339("2026-11-23T14:46:31+01:00") == At(1795441591));
  CHECK(common::ParseRfc3339("2026-11-23T08:16:31-05:30") == At(1795441591));
  CHECK(common::ParseRfc3339("2026-11-23T13:46:31.25Z") ==
        At(1795441591) + std::chrono::milliseconds(250));
}

TEST_CASE("ParseRfc3339 refuses anything else", "[rfc3339]") {
  for (const char* bad :
       {"", "2026-11-23", "2026-11-23T13:46:31", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-11-23T24:00:00Z", "2026-11-23T13:60:00Z", "2026-11-23T13:46:31.Z",
        "2026-11-23T13:46:31+0100", "2026-11-23 13:46:31Z", "1969-12-31T23:59:59Z",
        "2026-11-23T13:46:31Zjunk", "+2026-11-23T13:46:31Z", "tomorrow"}) {
    INFO(bad);
    CHECK_FALSE(common::ParseRfc3339(bad).has_value());
  }
}

// fuzz/corpus/acme_router/crash-not-after-9999: newOrder's notAfter "9999-12-31T00:00:00Z"
// overflowed the cast to system_clock's nanoseconds (UBSan: signed integer overflow).
TEST_CASE("ParseRfc3339 saturates times past the end of system_clock", "[rfc3339]") {
  CHECK(common::ParseRfc3339("9999-12-31T23:59:59Z") == system_clock::time_point::max());
  CHECK(common::ParseRfc3339("2262-04-12T00:00:00Z") == system_clock::time_point::max());
  CHECK(common::ParseRfc3339("2262-04-11T00:00:00Z") < system_clock::time_point::max());
}

}  // namespace

TEST_CASE("FormatRfc3339Millis keeps milliseconds, truncated", "[common][rfc3339]") {
  const auto t0 = std::chrono::system_clock::from_time_t(1'795'959'391);  // 2026-11-29T13:36:31Z
  CHECK(common::FormatRfc3339Millis(t0) == "2026-11-29T13:36:31.000Z");
  CHECK(common::FormatRfc3339Millis(t0 + std::chrono::microseconds{45'999}) ==
        "2026-11-29T13:36:31.045Z");
}

}  // namespace rfc3339_test
