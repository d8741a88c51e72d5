#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/clock.hpp"
#include "common/listen_address.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"
#include "mockca/report/report_routes.hpp"
#include "mockca/server/options.hpp"
#include "mockdns/server/mockdns_server.hpp"

namespace mockca::server {

// Where everything ended up listening (ports chosen for :0 filled in).
struct BoundMockCa {
  std::vector<common::ListenAddress> acme;
  std::vector<common::ListenAddress> management;
  std::string dns_server;  // what the VA asks: --dns-server, or the embedded mockdns
  std::optional<mockdns::server::BoundAddresses> mockdns;  // when embedded
};

// The whole CA: the ACME server (wfe → store / ca / va) over HTTPS, the management listener and,
// unless options.dns_server is set, an embedded mockdns that the VA resolves through (design.md,
// "Runtime picture"). Serves on the caller's io_context, which may run on several threads;
// validation and issuance run on their own worker threads.
class MockCa {
 public:
  // REQUIRES: rng, clock and log outlive this object.
  MockCa(boost::asio::io_context& ioc, MockCaOptions options, common::Rng& rng,
         const common::Clock& clock, common::Logger& log);
  ~MockCa();
  MockCa(const MockCa&) = delete;
  MockCa& operator=(const MockCa&) = delete;

  // Generates the CA hierarchy, binds every listener and starts serving. On the first failure
  // returns its message and nothing keeps listening.
  common::Result<BoundMockCa, std::string> Start();
  // The first step of a shutdown, while the io_context still runs: stops accepting ACME and
  // management connections, drops the validations and issuances not started yet, and waits, at
  // most timeout, for the running ones (their probes reach the embedded mockdns, which still
  // answers).
  void Drain(std::chrono::milliseconds timeout);
  // Stops accepting (writing --report-on-exit first, once); pending validations and issuances
  // finish before the destructor returns.
  void Stop();

 private:
  struct Parts;
  // The management API's view of the recorder, the fault rules and the clock.
  report::ReportSources ReportSourcesOf(Parts& parts) const;
  void WriteReportOnExit();
  boost::asio::io_context& ioc_;
  const MockCaOptions options_;
  common::Rng& rng_;
  const common::Clock& clock_;
  common::Logger& log_;
  std::unique_ptr<Parts> parts_;
  bool report_written_ = false;
};

// The ready line, one JSON object: {"ready":"mockca","seed":N,"directory":"https://...:P/dir",
// "listen":[...],"management":[...],"dnsserver":"host:port","mockdns":{...} (when embedded)}.
std::string ReadyLine(const BoundMockCa& bound, std::uint64_t seed);

}  // namespace mockca::server
