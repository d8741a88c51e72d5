#include "common/serve_until_signal.hpp"

#include <iostream>
#include <thread>

#include <boost/asio/signal_set.hpp>

namespace common {

void ServeUntilSignal(boost::asio::io_context& ioc, const std::string& ready_line, Logger& log,
                      std::function<void()> drain) {
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  std::thread draining;
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) {
      return;
    }
    log.Info("signal " + std::to_string(signal) + ", stopping");
    if (!drain) {
      ioc.stop();
      return;
    }
    draining = std::thread([&] {
      drain();
      ioc.stop();
    });
  });
  std::cout << ready_line << std::endl;
  std::thread second([&ioc] { ioc.run(); });
  ioc.run();
  second.join();
  if (draining.joinable()) {
    draining.join();
  }
}

}  // namespace common
