#pragma once

#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include "common/listen_address.hpp"
#include "common/result.hpp"

namespace common {

// Opens, binds and (TCP) listens on address, the way every listener of the project does:
// SO_REUSEADDR, and IPV6_V6ONLY except on "::" so that --listen-all is dual-stack.
// Returns the bound address (the chosen port when address.port is 0) or "bind 1.2.3.4:5: why".
Result<ListenAddress, std::string> BindAndListen(boost::asio::ip::tcp::acceptor& acceptor,
                                                 const ListenAddress& address);
Result<ListenAddress, std::string> BindUdp(boost::asio::ip::udp::socket& socket,
                                           const ListenAddress& address);

}  // namespace common
