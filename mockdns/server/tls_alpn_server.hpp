#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "common/listen_address.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "common/rng.hpp"
#include "mockdns/zone/challenge_responses.hpp"
#include "mockdns/zone/request_history.hpp"

namespace mockdns::server {

// The tls-alpn-01 responder (RFC 8737), as challtestsrv's: records every ClientHello (SNI, ALPN
// list) in the history; a handshake whose ALPN list is not exactly ["acme-tls/1"], or whose SNI
// has no /add-tlsalpn01 entry, fails with alert 80 (internal_error); otherwise the server presents
// a certificate minted for that SNI, completes the handshake and closes.
// Reverse-mapping SNIs (RFC 8738) are looked up by their IP address and get an IP SAN.
class TlsAlpnServer {
 public:
  TlsAlpnServer(boost::asio::io_context& ioc, const zone::ChallengeResponses& responses,
                zone::RequestHistory& history, common::Rng& rng, common::Logger& log);
  ~TlsAlpnServer();
  TlsAlpnServer(const TlsAlpnServer&) = delete;
  TlsAlpnServer& operator=(const TlsAlpnServer&) = delete;

  common::Result<common::ListenAddress, std::string> Listen(const common::ListenAddress& address);
  void Stop();

  static constexpr std::chrono::seconds kHandshakeTimeout{10};

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mockdns::server
