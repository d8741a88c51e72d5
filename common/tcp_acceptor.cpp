#include "common/tcp_acceptor.hpp"

#include <unistd.h>

#include <optional>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "common/socket_binding.hpp"

namespace common {

namespace net = boost::asio;
using boost::system::error_code;

namespace {

// The connection moved onto the next context of connections: accepted sockets belong to the
// acceptor's io_context (a pending accept must never hold a socket of a context that can go
// first: the pool, stopped before the acceptor's io_context, left one behind that the
// io_context's destructor then used); the descriptor changes context here. Closed when it cannot
// be assigned.
std::optional<net::ip::tcp::socket> MoveToPool(net::ip::tcp::socket socket,
                                               IoContextPool& connections) {
  error_code ec;
  const auto protocol = socket.local_endpoint(ec).protocol();
  if (ec) {
    return std::nullopt;
  }
  const auto descriptor = socket.release(ec);
  if (ec) {
    return std::nullopt;
  }
  net::ip::tcp::socket moved(connections.Next());
  if (moved.assign(protocol, descriptor, ec); ec) {
    ::close(descriptor);
    return std::nullopt;
  }
  return moved;
}

}  // namespace

TcpAcceptor::TcpAcceptor(net::io_context& ioc, OnAccept on_accept, IoContextPool* connections)
    : ioc_(ioc),
      connections_(connections),
      acceptor_(net::make_strand(ioc)),
      on_accept_(std::move(on_accept)) {}

Result<ListenAddress, std::string> TcpAcceptor::Listen(const ListenAddress& address) {
  auto bound = BindAndListen(acceptor_, address);
  if (bound) {
    DoAccept();
  }
  return bound;
}

void TcpAcceptor::Stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void TcpAcceptor::DoAccept() {
  acceptor_.async_accept(net::make_strand(ioc_), [self = shared_from_this()](
                                                     error_code ec, net::ip::tcp::socket socket) {
    if (ec == net::error::operation_aborted) {
      return;  // Stop()
    }
    if (!ec) {
      // A response written in two parts (TLS 1.3 session tickets, then the answer) must not
      // wait for the client's delayed ACK: Nagle held the first answer of a new connection
      // back by 40 ms.
      error_code ignored;
      socket.set_option(net::ip::tcp::no_delay(true), ignored);
      if (self->connections_ == nullptr) {
        self->on_accept_(std::move(socket));
      } else if (auto moved = MoveToPool(std::move(socket), *self->connections_)) {
        self->on_accept_(std::move(*moved));
      }
    }
    if (self->acceptor_.is_open()) {
      self->DoAccept();
    }
  });
}

}  // namespace common
