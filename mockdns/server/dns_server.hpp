#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "common/listen_address.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace faults {
class FaultEngine;
}  // namespace faults

namespace mockdns::server {

struct DnsServerLimits {
  std::size_t max_tcp_connections = 256;      // further connections are closed at accept
  std::chrono::seconds tcp_idle_timeout{10};  // between and within framed messages
};

// DNS over UDP and TCP (RFC 1035 §4.2, RFC 7766 framing, several queries per connection) on one
// address, answering from zone through api::ExchangeDns. The zone, history and faults (nullptr: no
// DNS faults) must outlive it.
//
// DNS faults: a "dnsDelay" reply is sent from a timer (the io thread never waits); over TCP the
// connection reads its next query only once the delayed reply is written. A "timeout" sends
// nothing: over UDP the datagram is dropped, over TCP the connection stays open and goes on to
// read the next query (the unanswered one is never answered; the idle timeout still applies).
class DnsServer {
 public:
  DnsServer(boost::asio::io_context& ioc, const zone::Zone& zone, zone::RequestHistory& history,
            DnsServerLimits limits, common::Logger& log, faults::FaultEngine* faults = nullptr);
  ~DnsServer();
  DnsServer(const DnsServer&) = delete;
  DnsServer& operator=(const DnsServer&) = delete;

  // Binds UDP and TCP on the same port (port 0: one free port for both). Returns the address.
  common::Result<common::ListenAddress, std::string> Listen(const common::ListenAddress& address);
  void Stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mockdns::server
