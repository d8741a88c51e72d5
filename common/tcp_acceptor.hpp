#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/io_context_pool.hpp"
#include "common/listen_address.hpp"
#include "common/result.hpp"

namespace common {

// The accept loop every TCP listener of the project shares: binds one address (BindAndListen) and
// hands each accepted socket, with TCP_NODELAY set, to on_accept: bound to a fresh strand of ioc,
// or, given connections, to the next context of that pool. The pending accept keeps the object
// alive until Stop(). Create with std::make_shared.
class TcpAcceptor : public std::enable_shared_from_this<TcpAcceptor> {
 public:
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket)>;

  TcpAcceptor(boost::asio::io_context& ioc, OnAccept on_accept,
              IoContextPool* connections = nullptr);
  TcpAcceptor(const TcpAcceptor&) = delete;
  TcpAcceptor& operator=(const TcpAcceptor&) = delete;

  // Binds and starts accepting; returns the bound address (the chosen port for port 0).
  Result<ListenAddress, std::string> Listen(const ListenAddress& address);
  // Stops accepting (posted to the acceptor's strand); established connections are not touched.
  void Stop();

 private:
  void DoAccept();

  boost::asio::io_context& ioc_;
  IoContextPool* const connections_;  // nullptr: strands of ioc_
  boost::asio::ip::tcp::acceptor acceptor_;
  const OnAccept on_accept_;
};

}  // namespace common
