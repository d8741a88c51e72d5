#include "common/rfc3339.hpp"

#include <cstdio>

namespace common {
namespace {

using std::chrono::system_clock;

// Reads exactly `digits` decimal digits at text[*pos].
std::optional<int> ReadNumber(std::string_view text, std::size_t* pos, std::size_t digits) {
  if (*pos + digits > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[*pos + i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  *pos += digits;
  return value;
}

bool Expect(std::string_view text, std::size_t* pos, char lower, char upper = '\0') {
  if (*pos >= text.size() || (text[*pos] != lower && (upper == '\0' || text[*pos] != upper))) {
    return false;
  }
  ++*pos;
  return true;
}

// Fractional seconds after the '.', as microseconds (extra digits are read and dropped).
std::optional<long> ReadFraction(std::string_view text, std::size_t* pos) {
  long micros = 0;
  std::size_t digits = 0;
  while (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9') {
    if (digits < 6) {
      micros = micros * 10 + (text[*pos] - '0');
    }
    ++digits;
    ++*pos;
  }
  if (digits == 0) {
    return std::nullopt;
  }
  for (std::size_t i = digits; i < 6; ++i) {
    micros *= 10;
  }
  return micros;
}

// The offset in minutes east of UTC: "Z" is 0.
std::optional<int> ReadOffset(std::string_view text, std::size_t* pos) {
  if (Expect(text, pos, 'Z', 'z')) {
    return 0;
  }
  int sign = 1;
  if (Expect(text, pos, '-')) {
    sign = -1;
  } else if (!Expect(text, pos, '+')) {
    return std::nullopt;
  }
  const auto hours = ReadNumber(text, pos, 2);
  if (!hours || *hours > 23 || !Expect(text, pos, ':')) {
    return std::nullopt;
  }
  const auto minutes = ReadNumber(text, pos, 2);
  if (!minutes || *minutes > 59) {
    return std::nullopt;
  }
  return sign * (*hours * 60 + *minutes);
}

}  // namespace

std::string FormatRfc3339(system_clock::time_point when) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(when);
  const auto days = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss time{seconds - days};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<long>(time.hours().count()),
                static_cast<long>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()));
  return buffer;
}

std::optional<system_clock::time_point> ParseRfc3339(std::string_view text) {
  std::size_t pos = 0;
  const auto year = ReadNumber(text, &pos, 4);
  if (!year || *year < 1970 || !Expect(text, &pos, '-')) {
    return std::nullopt;
  }
  const auto month = ReadNumber(text, &pos, 2);
  if (!month || !Expect(text, &pos, '-')) {
    return std::nullopt;
  }
  const auto day = ReadNumber(text, &pos, 2);
  if (!day || !Expect(text, &pos, 'T', 't')) {
    return std::nullopt;
  }
  const auto hour = ReadNumber(text, &pos, 2);
  if (!hour || !Expect(text, &pos, ':')) {
    return std::nullopt;
  }
  const auto minute = ReadNumber(text, &pos, 2);
  if (!minute || !Expect(text, &pos, ':')) {
    return std::nullopt;
  }
  const auto second = ReadNumber(text, &pos, 2);
  if (!second) {
    return std::nullopt;
  }
  long micros = 0;
  if (Expect(text, &pos, '.')) {
    const auto fraction = ReadFraction(text, &pos);
    if (!fraction) {
      return std::nullopt;
    }
    micros = *fraction;
  }
  const auto offset = ReadOffset(text, &pos);
  if (!offset || pos != text.size()) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  // RFC 3339 allows second 60 (a leap second); it is read as the next second.
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const auto when = std::chrono::sys_days{date} + std::chrono::hours{*hour} +
                    std::chrono::minutes{*minute - *offset} + std::chrono::seconds{*second} +
                    std::chrono::microseconds{micros};
  // system_clock counts nanoseconds and ends in 2262; a later time (e.g. RFC 5280's 9999-12-31)
  // saturates instead of overflowing the cast.
  const auto latest =
      std::chrono::time_point_cast<std::chrono::microseconds>(system_clock::time_point::max());
  if (when > latest) {
    return system_clock::time_point::max();
  }
  return std::chrono::time_point_cast<system_clock::duration>(when);
}

std::string FormatRfc3339Millis(std::chrono::system_clock::time_point when) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(when);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(when - seconds).count();
  std::string text = FormatRfc3339(seconds);  // "...:SSZ"
  const char fraction[] = {'.', static_cast<char>('0' + millis / 100),
                           static_cast<char>('0' + millis / 10 % 10),
                           static_cast<char>('0' + millis % 10)};
  text.insert(text.size() - 1, fraction, sizeof fraction);
  return text;
}

}  // namespace common
