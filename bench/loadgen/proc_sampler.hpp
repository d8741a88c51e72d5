#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.hpp"

namespace bench {

// What /proc says about a process at one instant.
struct ProcSample {
  double cpu_seconds = 0;  // utime + stime of every thread, dead ones included (/proc/PID/stat)
  long rss_kib = 0;        // VmRSS (/proc/PID/status)
};

// Reads /proc/<pid>/stat and /proc/<pid>/status. The CPU figure has the resolution of a clock tick
// (10 ms at USER_HZ 100). An error names the file.
common::Result<ProcSample, std::string> SampleProcess(pid_t pid);

}  // namespace bench
