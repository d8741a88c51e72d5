// mockca: the ACME test CA. Parses flags (and Pebble's -config file and PEBBLE_*/MOCKCA_*
// variables), starts the CA (and, unless --dns-server is given, an embedded mockdns), prints the
// ready line on stdout and serves until SIGINT/SIGTERM.
#include <iostream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/clock.hpp"
#include "common/logger.hpp"
#include "common/rng.hpp"
#include "common/serve_until_signal.hpp"
#include "mockca/server/mockca_server.hpp"

int main(int argc, char** argv) {
  using Kind = mockca::server::OptionsError::Kind;
  std::string usage;
  std::vector<std::string> warnings;
  auto options = mockca::server::ParseMockCaFlags(argc, argv, mockca::server::ProcessEnvironment(),
                                                  &usage, &warnings);
  for (const std::string& warning : warnings) {
    std::cerr << "mockca: warning: " << warning << "\n";
  }
  if (!options) {
    switch (options.error().kind) {
      case Kind::kHelp:
        std::cout << usage;
        return 0;
      case Kind::kVersion:
        std::cout << options.error().message << std::endl;
        return 0;
      case Kind::kUsage:
        std::cerr << "mockca: " << options.error().message << "\n" << usage;
        return 2;
      case Kind::kConfig:
        std::cerr << "mockca: " << options.error().message << "\n";
        return 1;
    }
  }
  common::Logger log(
      std::cerr, "mockca",
      options->verbose ? common::Logger::Level::kDebug : common::Logger::Level::kInfo);
  const std::uint64_t seed = options->seed.value_or(common::Rng::SeedFromOs());
  common::Rng rng(seed);
  common::SystemClock clock;
  log.Info("seed " + std::to_string(seed));

  boost::asio::io_context ioc;
  mockca::server::MockCa mockca(ioc, std::move(options).value(), rng, clock, log);
  auto bound = mockca.Start();
  if (!bound) {
    log.Error("start: " + bound.error());
    return 1;
  }
  // SIGTERM: validations in flight finish while the embedded mockdns still answers them, so the
  // exit is quick (README "Limits": shutdown).
  static constexpr std::chrono::milliseconds kShutdownDrain{3000};
  common::ServeUntilSignal(ioc, mockca::server::ReadyLine(bound.value(), seed), log,
                           [&mockca] { mockca.Drain(kShutdownDrain); });
  mockca.Stop();
  return 0;
}
