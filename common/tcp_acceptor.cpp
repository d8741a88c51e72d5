#include "common/tcp_acceptor.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "common/socket_binding.hpp"

namespace common {

namespace net = boost::asio;
using boost::system::error_code;

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
  const net::any_io_executor executor =
      connections_ != nullptr ? connections_->Next() : net::make_strand(ioc_);
  acceptor_.async_accept(executor,
                         [self = shared_from_this()](error_code ec, net::ip::tcp::socket socket) {
                           if (ec == net::error::operation_aborted) {
                             return;  // Stop()
                           }
                           if (!ec) {
                             // A response written in two parts (TLS 1.3 session tickets, then the
                             // answer) must not wait for the client's delayed ACK: Nagle held the
                             // first answer of a new connection back by 40 ms.
                             error_code ignored;
                             socket.set_option(net::ip::tcp::no_delay(true), ignored);
                             self->on_accept_(std::move(socket));
                           }
                           if (self->acceptor_.is_open()) {
                             self->DoAccept();
                           }
                         });
}

}  // namespace common
