#include "common/logger.hpp"

#include <chrono>
#include <ctime>

namespace common {
namespace {

const char* LevelName(Logger::Level level) {
  switch (level) {
    case Logger::Level::kDebug:
      return "debug";
    case Logger::Level::kInfo:
      return "info";
    case Logger::Level::kWarn:
      return "warn";
    case Logger::Level::kError:
      return "error";
  }
  return "?";
}

}  // namespace

Logger::Logger(std::ostream& out, std::string component, Level min_level)
    : out_(out), component_(std::move(component)), min_level_(min_level) {}

void Logger::Log(Level level, std::string_view message) {
  if (level < min_level_) {
    return;
  }
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", &utc);
  std::lock_guard lock(mu_);
  out_ << stamp << '.' << (millis < 100 ? (millis < 10 ? "00" : "0") : "") << millis << ' '
       << component_ << ' ' << LevelName(level) << ": " << message << '\n';
  out_.flush();
}

}  // namespace common
