#include "common/socket_binding.hpp"

#include <boost/asio/ip/v6_only.hpp>

namespace common {
namespace {

namespace net = boost::asio;
using boost::system::error_code;

template <typename Socket, typename Protocol>
Result<ListenAddress, std::string> Bind(Socket& socket, const ListenAddress& address) {
  error_code ec;
  const auto ip = net::ip::make_address(address.host, ec);
  if (ec) {
    return MakeErr("bad address " + address.ToString());
  }
  const typename Protocol::endpoint endpoint(ip, address.port);
  auto fail = [&](const char* what) {
    return MakeErr(std::string(what) + " " + address.ToString() + ": " + ec.message());
  };
  if (socket.open(endpoint.protocol(), ec); ec) {
    return fail("open");
  }
  if (ip.is_v6()) {
    socket.set_option(net::ip::v6_only(!ip.is_unspecified()), ec);
  }
  socket.set_option(net::socket_base::reuse_address(true), ec);
  if (socket.bind(endpoint, ec); ec) {
    return fail("bind");
  }
  if constexpr (std::is_same_v<Protocol, net::ip::tcp>) {
    if (socket.listen(net::socket_base::max_listen_connections, ec); ec) {
      return fail("listen");
    }
  }
  const auto bound = socket.local_endpoint(ec);
  if (ec) {
    return fail("local address of");
  }
  return ListenAddress{bound.address().to_string(), bound.port()};
}

}  // namespace

Result<ListenAddress, std::string> BindAndListen(net::ip::tcp::acceptor& acceptor,
                                                 const ListenAddress& address) {
  return Bind<net::ip::tcp::acceptor, net::ip::tcp>(acceptor, address);
}

Result<ListenAddress, std::string> BindUdp(net::ip::udp::socket& socket,
                                           const ListenAddress& address) {
  return Bind<net::ip::udp::socket, net::ip::udp>(socket, address);
}

}  // namespace common
