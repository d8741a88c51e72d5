#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/io_context_pool.hpp"
#include "common/listen_address.hpp"
#include "common/logger.hpp"
#include "common/result.hpp"
#include "http/message.hpp"

namespace http {

// Called on the connection's strand; must not block for long. Exceptions become a 500.
using Handler = std::function<Response(const Request&)>;

// The response to a request refused before it reached the handler: 400 (unparseable HTTP), 413
// (body too large), 431 (head too large) and 500 (the handler threw). detail is one line of text.
// Without one, the server answers text/plain.
using RefusalResponder = std::function<Response(int status, const std::string& detail)>;

// Every limit of an HTTP listener; all explicit so they can be documented (README "Limits").
struct ServerLimits {
  std::size_t max_header_bytes = 8 * 1024;  // larger request head: 431 and close
  std::size_t max_body_bytes = 64 * 1024;   // larger body: 413 and close
  std::chrono::seconds io_timeout{30};      // per read / write / TLS handshake
  std::size_t max_connections = 256;        // further connections are closed at accept
  bool keep_alive = true;                   // false: Connection: close after each response
};

// An HTTP/1.1 server (plain, or TLS when tls is given) on one or more addresses, serving handler.
// Thread-safe to run the io_context on several threads: each connection has its own strand. Given
// connections, it accepts on ioc and serves each connection on one context of that pool (which
// must outlive the server's connections), so handler runs on the pool's threads.
class Server {
 public:
  Server(boost::asio::io_context& ioc, Handler handler,
         std::shared_ptr<boost::asio::ssl::context> tls, ServerLimits limits, common::Logger& log,
         RefusalResponder refusal = nullptr, common::IoContextPool* connections = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds address (port 0 picks a free one) and starts accepting. Returns the bound address, or
  // "bind 127.0.0.1:80: Permission denied"-style text.
  common::Result<common::ListenAddress, std::string> Listen(const common::ListenAddress& address);
  // Stops accepting; open connections end at their next timeout or when the io_context stops.
  void Stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace http
