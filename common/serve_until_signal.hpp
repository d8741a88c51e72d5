#pragma once

#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "common/logger.hpp"

namespace common {

// The executables' main loop: prints ready_line on stdout once the SIGINT/SIGTERM handler is in
// place, then runs ioc on two threads until a signal arrives, which stops ioc (logged). With
// drain, the signal first runs drain on a thread of its own while ioc keeps running (so work in
// flight can finish against servers on ioc), and stops ioc when drain returns.
void ServeUntilSignal(boost::asio::io_context& ioc, const std::string& ready_line, Logger& log,
                      std::function<void()> drain = {});

}  // namespace common
