#pragma once

#include <string>

#include <boost/asio/io_context.hpp>

#include "common/logger.hpp"

namespace common {

// The executables' main loop: prints ready_line on stdout once the SIGINT/SIGTERM handler is in
// place, then runs ioc on two threads until a signal arrives, which stops ioc (logged).
void ServeUntilSignal(boost::asio::io_context& ioc, const std::string& ready_line, Logger& log);

}  // namespace common
