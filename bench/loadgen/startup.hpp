#pragma once

// Start-up time: from just before fork/exec of a server to its first successful directory GET.

#include <string>
#include <vector>

#include "common/json.hpp"

namespace bench {

struct StartupSpec {
  std::vector<std::string> argv;  // the server command line; it must listen where directory_url
                                  // points (a port chosen beforehand)
  std::string directory_url;
  int repeat = 5;
  double timeout_s = 30;
};

// Starts the server spec.repeat times (stdout and stderr to /dev/null, the environment inherited),
// probing the directory every 0.5 ms with a new connection until a 200, then SIGTERMs it and
// reaps it (SIGKILL after 10 s). Returns
// {"workload":"startup","runs_ms":[...],"median_ms","min_ms", "ok","failed","errors"}; a server
// that exits or misses the timeout is a failed run.
nlohmann::json MeasureStartup(const StartupSpec& spec);

}  // namespace bench
