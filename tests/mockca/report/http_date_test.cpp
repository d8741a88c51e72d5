// ParseImfFixdate and RetryAfterTime (RFC 9110 §5.6.7, §10.2.3).
#include "mockca/report/http_date.hpp"

#include <catch2/catch.hpp>

namespace http_date_test {

namespace {

using mockca::report::ParseImfFixdate;
using mockca::report::RetryAfterTime;
using TimePoint = std::chrono::system_clock::time_point;
using std::chrono::seconds;

TEST_CASE("ParseImfFixdate reads RFC 9110's example", "[report][http-date]") {
  const auto parsed = ParseImfFixdate("Sun, 06 Nov 1994 08:49:37 GMT");
  REQUIRE(parsed);
  CHECK(*parsed == TimePoint(seconds(784111777)));
  CHECK(ParseImfFixdate("Thu, 01 Jan 1970 00:00:00 GMT") == std::optional<TimePoint>(TimePoint{}));
  CHECK(ParseImfFixdate("Thu, 29 Feb 2024 23:59:59 GMT"));
}

TEST_CASE("ParseImfFixdate refuses other forms and bad fields", "[report][http-date]") {
  for (const char* text : {
           "",
           "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
           "Sun Nov  6 08:49:37 1994",        // asctime
           "Mon, 06 Nov 1994 08:49:37 GMT",   // wrong day name
           "Sun, 06 Nov 1994 08:49:37 UTC",
           "sun, 06 nov 1994 08:49:37 GMT",
           "Sun, 6 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 24:00:00 GMT",
           "Sun, 06 Nov 1994 08:60:00 GMT",
           "Thu, 31 Apr 2025 08:00:00 GMT",
           "Thu, 00 Jan 2025 08:00:00 GMT",
           "Fri, 29 Feb 2023 08:00:00 GMT",
           "Wed, 31 Dec 1969 23:59:59 GMT",
           "Sun, 06 Nov 1994 08:49:37 GMT ",
           "Sun, 06 Nox 1994 08:49:37 GMT",
       }) {
    CAPTURE(text);
    CHECK_FALSE(ParseImfFixdate(text));
  }
}

TEST_CASE("RetryAfterTime takes delta-seconds or an HTTP-date", "[report][http-date]") {
  const TimePoint received{seconds(1'000'000)};
  CHECK(RetryAfterTime("3", received) == std::optional<TimePoint>(received + seconds(3)));
  CHECK(RetryAfterTime(" 0\t", received) == std::optional<TimePoint>(received));
  CHECK(RetryAfterTime("Sun, 06 Nov 1994 08:49:37 GMT", received) ==
        std::optional<TimePoint>(TimePoint(seconds(784111777))));
  // Huge values are clamped rather than overflowing.
  const auto huge = RetryAfterTime("99999999999999999999999999", received);
  REQUIRE(huge);
  CHECK(*huge > received + seconds(365LL * 24 * 3600));
  for (const char* text : {"", " ", "-1", "1.5", "3s", "soon"}) {
    CAPTURE(text);
    CHECK_FALSE(RetryAfterTime(text, received));
  }
}

}  // namespace

}  // namespace http_date_test
