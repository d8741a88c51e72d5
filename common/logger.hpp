#pragma once

#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace common {

// Line-oriented log sink shared by the components of one process; passed in, never global.
// Thread-safe: each line is written whole.
class Logger {
 public:
  enum class Level { kDebug, kInfo, kWarn, kError };

  Logger(std::ostream& out, std::string component, Level min_level = Level::kInfo);
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void Log(Level level, std::string_view message);
  void Debug(std::string_view m) { Log(Level::kDebug, m); }
  void Info(std::string_view m) { Log(Level::kInfo, m); }
  void Warn(std::string_view m) { Log(Level::kWarn, m); }
  void Error(std::string_view m) { Log(Level::kError, m); }
  // Whether a line of this level is written (so callers skip building one that is not).
  bool Enabled(Level level) const { return level >= min_level_; }

 private:
  std::ostream& out_;
  const std::string component_;
  const Level min_level_;
  std::mutex mu_;  // serialises writes to out_
};

}  // namespace common
