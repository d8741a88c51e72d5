#pragma once

#include <memory>
#include <sstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "common/logger.hpp"
#include "common/rng.hpp"
#include "mockdns/resolver/resolver.hpp"
#include "mockdns/server/mockdns_server.hpp"

namespace support {

// An in-process mockdns for tests that need real sockets: DNS, http-01, https-01 and tls-alpn-01
// on free 127.0.0.1 ports, names answering 127.0.0.1 (no AAAA), run on its own thread, plus a
// c-ares resolver aimed at it. Shutdown() closes every listener and waits; the destructor stops
// whatever is left.
class MockDnsLab {
 public:
  MockDnsLab() : log_(sink_, "mockdns"), rng_(11) {
    mockdns::server::MockDnsOptions options;
    options.dns = options.http01 = options.https01 = options.tls_alpn01 = {{"127.0.0.1", 0}};
    options.default_ipv6 = "";
    dns_ = std::make_unique<mockdns::server::MockDns>(ioc_, options, rng_, log_);
    auto bound = dns_->Start();
    REQUIRE(bound.ok());
    bound_ = bound.value();
    runner_ = std::thread([this] { ioc_.run(); });
    auto resolver = mockdns::resolver::CaresResolver::Create({bound_.dns.front().ToString()});
    REQUIRE(resolver.ok());
    resolver_ = std::move(resolver).value();
  }
  ~MockDnsLab() {
    ioc_.stop();
    if (runner_.joinable()) {
      runner_.join();
    }
  }
  MockDnsLab(const MockDnsLab&) = delete;
  MockDnsLab& operator=(const MockDnsLab&) = delete;

  mockdns::server::MockDns& dns() { return *dns_; }
  mockdns::resolver::Resolver& resolver() { return *resolver_; }
  const mockdns::server::BoundAddresses& bound() const { return bound_; }

  // Closes the listeners on the running io_context, which then runs out of work.
  void Shutdown() {
    dns_->Stop();
    runner_.join();
  }

 private:
  std::ostringstream sink_;
  common::Logger log_;
  common::Rng rng_;
  boost::asio::io_context ioc_;
  std::unique_ptr<mockdns::server::MockDns> dns_;
  mockdns::server::BoundAddresses bound_;
  std::thread runner_;
  std::unique_ptr<mockdns::resolver::CaresResolver> resolver_;
};

}  // namespace support
