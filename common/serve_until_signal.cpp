#include "common/serve_until_signal.hpp"

#include <iostream>
#include <thread>

#include <boost/asio/signal_set.hpp>

namespace common {

void ServeUntilSignal(boost::asio::io_context& ioc, const std::string& ready_line, Logger& log) {
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int signal) {
    log.Info("signal " + std::to_string(signal) + ", stopping");
    ioc.stop();
  });
  std::cout << ready_line << std::endl;
  std::thread second([&ioc] { ioc.run(); });
  ioc.run();
  second.join();
}

}  // namespace common
