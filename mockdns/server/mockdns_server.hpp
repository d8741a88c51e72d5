#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/clock.hpp"
#include "common/listen_address.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"
#include "faults/fault_engine.hpp"
#include "mockdns/server/options.hpp"
#include "mockdns/zone/challenge_responses.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace mockdns::server {

// Where each server ended up listening (ports chosen for :0 filled in).
struct BoundAddresses {
  std::vector<common::ListenAddress> http01, https01, tls_alpn01, dns, doh, management;
};

// The whole pebble-challtestsrv replacement: DNS (UDP+TCP), DoH, http-01 (HTTP and HTTPS),
// tls-alpn-01 and the management API, sharing one zone, one set of challenge responses and one
// request history. Runs on the given io_context (which the caller runs, on any number of threads);
// embeddable, so mockca can start one in-process.
//
// DNS faults (dns_faults.hpp) come from one faults::FaultEngine: shared_faults when given (mockca
// passes its own, so rules posted to either management API apply to both; it must outlive this
// MockDns), else one of our own seeded from rng.seed(). The management API serves /faults on it,
// and Start() adds options.fault_rules (--faults FILE) to it.
class MockDns {
 public:
  MockDns(boost::asio::io_context& ioc, MockDnsOptions options, common::Rng& rng,
          common::Logger& log, faults::FaultEngine* shared_faults = nullptr);
  ~MockDns();
  MockDns(const MockDns&) = delete;
  MockDns& operator=(const MockDns&) = delete;

  // Binds every listener; on the first failure returns its message (nothing keeps listening).
  common::Result<BoundAddresses, std::string> Start();
  void Stop();

  zone::Zone& zone() { return zone_; }
  zone::ChallengeResponses& challenges() { return challenges_; }
  zone::RequestHistory& history() { return history_; }
  faults::FaultEngine& faults() { return faults_; }

 private:
  struct Servers;

  boost::asio::io_context& ioc_;
  const MockDnsOptions options_;
  common::Rng& rng_;
  common::Logger& log_;
  common::SystemClock clock_;
  std::unique_ptr<faults::FaultEngine> own_faults_;  // null when shared_faults was given
  faults::FaultEngine& faults_;
  zone::Zone zone_;
  zone::ChallengeResponses challenges_;
  zone::RequestHistory history_;
  std::unique_ptr<Servers> servers_;
};

// The ready line: one JSON object naming every bound address, e.g.
// {"ready":"mockdns","seed":1,"dnsserver":["127.0.0.1:8053"],"http01":[...],...}
std::string ReadyLine(const BoundAddresses& bound, std::uint64_t seed);

}  // namespace mockdns::server
