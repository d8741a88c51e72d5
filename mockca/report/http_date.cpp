#include "mockca/report/http_date.hpp"

#include <array>
#include <cstdint>

#include "common/ascii.hpp"

namespace mockca::report {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// The value of text[at, at + width) when it is all digits, else -1.
int Digits(std::string_view text, std::size_t at, std::size_t width) {
  int value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

int IndexOf(std::string_view name, auto names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

std::optional<TimePoint> ParseImfFixdate(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters, separators at fixed places.
  constexpr std::string_view kShape = "ddd, 00 mmm 0000 00:00:00 GMT";
  if (text.size() != kShape.size() || text.substr(3, 2) != ", " || text[7] != ' ' ||
      text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':' ||
      text.substr(25) != " GMT") {
    return std::nullopt;
  }
  const int weekday = IndexOf(text.substr(0, 3), kDays);
  const int day = Digits(text, 5, 2);
  const int month = IndexOf(text.substr(8, 3), kMonths) + 1;
  const int year = Digits(text, 12, 4);
  const int hour = Digits(text, 17, 2);
  const int minute = Digits(text, 20, 2);
  const int second = Digits(text, 23, 2);
  if (weekday < 0 || month < 1 || year < 1970 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{
      std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
      std::chrono::day(static_cast<unsigned>(day < 0 ? 0 : day))};
  if (day < 1 || !date.ok()) {
    return std::nullopt;
  }
  const std::chrono::sys_days days{date};
  if (std::chrono::weekday(days).c_encoding() != static_cast<unsigned>(weekday)) {
    return std::nullopt;
  }
  return TimePoint(days) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

std::optional<TimePoint> RetryAfterTime(std::string_view value, TimePoint received) {
  value = common::TrimBlanks(value);
  if (value.empty()) {
    return std::nullopt;
  }
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    constexpr std::int64_t kMaxSeconds = 10LL * 366 * 24 * 3600;
    std::int64_t seconds = 0;
    for (const char digit : value) {
      seconds = seconds * 10 + (digit - '0');
      if (seconds > kMaxSeconds) {
        seconds = kMaxSeconds;
        break;
      }
    }
    return received + std::chrono::seconds(seconds);
  }
  return ParseImfFixdate(value);
}

}  // namespace mockca::report
