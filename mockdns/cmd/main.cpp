// mockdns: a drop-in for pebble-challtestsrv. Parses flags, starts every server, prints the ready
// line on stdout and serves until SIGINT/SIGTERM.
#include <iostream>

#include <boost/asio/io_context.hpp>

#include "common/logger.hpp"
#include "common/rng.hpp"
#include "common/serve_until_signal.hpp"
#include "mockdns/server/mockdns_server.hpp"

int main(int argc, char** argv) {
  std::string usage;
  auto options = mockdns::server::ParseMockDnsFlags(argc, argv, &usage);
  if (!options) {
    const bool help = options.error() == "help requested";
    (help ? std::cout : std::cerr) << (help ? "" : options.error() + "\n") << usage;
    return help ? 0 : 2;
  }
  common::Logger log(
      std::cerr, "mockdns",
      options->verbose ? common::Logger::Level::kDebug : common::Logger::Level::kInfo);
  const std::uint64_t seed = options->seed.value_or(common::Rng::SeedFromOs());
  common::Rng rng(seed);
  log.Info("seed " + std::to_string(seed));

  boost::asio::io_context ioc;
  mockdns::server::MockDns mockdns(ioc, std::move(options).value(), rng, log);
  auto bound = mockdns.Start();
  if (!bound) {
    log.Error("start: " + bound.error());
    return 1;
  }
  common::ServeUntilSignal(ioc, mockdns::server::ReadyLine(bound.value(), seed), log);
  return 0;
}
