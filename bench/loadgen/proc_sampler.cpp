#include "bench/loadgen/proc_sampler.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace bench {

common::Result<ProcSample, std::string> SampleProcess(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream stat_file(dir + "/stat");
  std::string stat;
  if (!std::getline(stat_file, stat)) {
    return "cannot read " + dir + "/stat";
  }
  // proc(5): "pid (comm) state ppid ..."; comm may hold spaces and ')', so start after the last
  // ')'. Fields from there: state is field 3, utime 14, stime 15.
  const std::size_t paren = stat.rfind(')');
  if (paren == std::string::npos) {
    return "malformed " + dir + "/stat";
  }
  std::istringstream fields(stat.substr(paren + 2));
  std::string skip;
  for (int field = 3; field < 14 && fields >> skip; ++field) {
  }
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  if (!(fields >> utime >> stime)) {
    return "malformed " + dir + "/stat";
  }
  ProcSample sample;
  sample.cpu_seconds =
      static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status_file(dir + "/status");
  for (std::string line; std::getline(status_file, line);) {
    if (line.rfind("VmRSS:", 0) == 0) {
      sample.rss_kib = std::stol(line.substr(6));
    }
  }
  return sample;
}

}  // namespace bench
