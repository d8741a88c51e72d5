#include "mockdns/server/dns_server.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <span>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "common/socket_binding.hpp"
#include "common/tcp_acceptor.hpp"
#include "mockdns/api/dns_exchange.hpp"

namespace mockdns::server {
namespace {

namespace net = boost::asio;
using boost::system::error_code;
using net::ip::tcp;
using net::ip::udp;

struct DnsShared {
  const zone::Zone& zone;
  zone::RequestHistory& history;
  DnsServerLimits limits;
  common::Logger& log;
  faults::FaultEngine* faults;  // nullptr: no DNS faults
  std::atomic<std::size_t> tcp_connections{0};

  api::DnsReply Exchange(std::span<const std::uint8_t> query, api::DnsTransport transport) {
    return api::ExchangeDns(query, transport, "", zone, history, faults);
  }
};

// One TCP connection: [length][query] frames in, [length][reply] frames out, one at a time.
class TcpSession : public std::enable_shared_from_this<TcpSession> {
 public:
  TcpSession(tcp::socket socket, std::shared_ptr<DnsShared> shared)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), shared_(std::move(shared)) {
    ++shared_->tcp_connections;
  }
  ~TcpSession() { --shared_->tcp_connections; }

  void Start() { DoReadLength(); }

 private:
  void Arm() {
    timer_.expires_after(shared_->limits.tcp_idle_timeout);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) {
        error_code ignored;
        self->socket_.close(ignored);  // idle or too slow: drop the connection
      }
    });
  }

  void DoReadLength() {
    Arm();
    net::async_read(
        socket_, net::buffer(length_),
        [self = shared_from_this()](error_code ec, std::size_t) { self->OnLength(ec); });
  }

  void OnLength(error_code ec) {
    if (ec) {
      return Close();
    }
    const std::size_t length = static_cast<std::size_t>(length_[0]) << 8 | length_[1];
    if (length == 0 || length > api::kMaxQuerySize) {
      shared_->log.Debug("DNS/TCP: frame of " + std::to_string(length) + " octets refused");
      return Close();
    }
    query_.resize(length);
    net::async_read(
        socket_, net::buffer(query_),
        [self = shared_from_this()](error_code read_ec, std::size_t) { self->OnQuery(read_ec); });
  }

  void OnQuery(error_code ec) {
    if (ec) {
      return Close();
    }
    const api::DnsReply reply = shared_->Exchange(query_, api::DnsTransport::kTcp);
    if (reply.bytes.empty()) {
      return DoReadLength();
    }
    reply_.resize(2 + reply.bytes.size());
    reply_[0] = static_cast<std::uint8_t>(reply.bytes.size() >> 8);
    reply_[1] = static_cast<std::uint8_t>(reply.bytes.size());
    std::copy(reply.bytes.begin(), reply.bytes.end(), reply_.begin() + 2);
    if (reply.delay.count() <= 0) {
      return DoWrite();
    }
    // The delay replaces the idle wait on the one timer (its pending wait ends as aborted).
    timer_.expires_after(reply.delay);
    timer_.async_wait([self = shared_from_this()](error_code wait_ec) {
      if (!wait_ec) {
        self->DoWrite();
      }
    });
  }

  void DoWrite() {
    net::async_write(socket_, net::buffer(reply_),
                     [self = shared_from_this()](error_code write_ec, std::size_t) {
                       if (write_ec) {
                         return self->Close();
                       }
                       self->DoReadLength();
                     });
  }

  void Close() {
    error_code ignored;
    timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  std::shared_ptr<DnsShared> shared_;
  std::array<std::uint8_t, 2> length_{};
  std::vector<std::uint8_t> query_;
  std::vector<std::uint8_t> reply_;
};

void AcceptTcp(const std::shared_ptr<DnsShared>& shared, tcp::socket socket) {
  if (shared->tcp_connections.load() >= shared->limits.max_tcp_connections) {
    error_code ignored;
    socket.close(ignored);  // over the connection limit: refuse by closing
  } else {
    std::make_shared<TcpSession>(std::move(socket), shared)->Start();
  }
}

class UdpListener : public std::enable_shared_from_this<UdpListener> {
 public:
  UdpListener(net::io_context& ioc, std::shared_ptr<DnsShared> shared)
      : socket_(net::make_strand(ioc)), shared_(std::move(shared)) {}

  udp::socket& socket() { return socket_; }
  void Start() { DoReceive(); }
  void Stop() {
    net::post(socket_.get_executor(), [self = shared_from_this()] {
      error_code ignored;
      self->socket_.close(ignored);
    });
  }

 private:
  void DoReceive() {
    socket_.async_receive_from(net::buffer(buffer_), peer_,
                               [self = shared_from_this()](error_code ec, std::size_t size) {
                                 self->OnReceive(ec, size);
                               });
  }

  void OnReceive(error_code ec, std::size_t size) {
    if (ec == net::error::operation_aborted) {
      return;
    }
    if (!ec) {
      api::DnsReply reply = shared_->Exchange({buffer_.data(), size}, api::DnsTransport::kUdp);
      if (!reply.bytes.empty()) {
        Send(std::make_shared<std::vector<std::uint8_t>>(std::move(reply.bytes)), reply.delay);
      }
    }
    if (socket_.is_open()) {
      DoReceive();
    }
  }

  // Sends bytes to the current peer, at once or from a timer on the socket's strand.
  void Send(std::shared_ptr<std::vector<std::uint8_t>> bytes, std::chrono::milliseconds delay) {
    if (delay.count() <= 0) {
      socket_.async_send_to(net::buffer(*bytes), peer_, [bytes](error_code, std::size_t) {});
      return;
    }
    auto timer = std::make_shared<net::steady_timer>(socket_.get_executor(), delay);
    timer->async_wait([self = shared_from_this(), timer, bytes, peer = peer_](error_code ec) {
      if (!ec && self->socket_.is_open()) {
        self->socket_.async_send_to(net::buffer(*bytes), peer, [bytes](error_code, std::size_t) {});
      }
    });
  }

  udp::socket socket_;
  std::shared_ptr<DnsShared> shared_;
  std::array<std::uint8_t, 65535> buffer_{};
  udp::endpoint peer_;
};

}  // namespace

struct DnsServer::Impl {
  net::io_context& ioc;
  std::shared_ptr<DnsShared> shared;
  std::vector<std::shared_ptr<common::TcpAcceptor>> tcp;
  std::vector<std::shared_ptr<UdpListener>> udp;
};

DnsServer::DnsServer(net::io_context& ioc, const zone::Zone& zone, zone::RequestHistory& history,
                     DnsServerLimits limits, common::Logger& log, faults::FaultEngine* faults)
    : impl_(std::make_shared<Impl>(
          Impl{ioc,
               std::shared_ptr<DnsShared>(new DnsShared{zone, history, limits, log, faults, {}}),
               {},
               {}})) {}

DnsServer::~DnsServer() {
  Stop();
}

common::Result<common::ListenAddress, std::string> DnsServer::Listen(
    const common::ListenAddress& address) {
  // With port 0 the TCP port is chosen first and UDP must get the same one; retry if it is taken.
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto tcp_listener = std::make_shared<common::TcpAcceptor>(
        impl_->ioc,
        [shared = impl_->shared](tcp::socket socket) { AcceptTcp(shared, std::move(socket)); });
    auto udp_listener = std::make_shared<UdpListener>(impl_->ioc, impl_->shared);
    auto tcp_bound = tcp_listener->Listen(address);
    if (!tcp_bound) {
      return tcp_bound;
    }
    auto udp_bound = common::BindUdp(udp_listener->socket(), tcp_bound.value());
    if (!udp_bound) {
      tcp_listener->Stop();
      if (address.port == 0) {
        continue;
      }
      return udp_bound;
    }
    udp_listener->Start();
    impl_->tcp.push_back(std::move(tcp_listener));
    impl_->udp.push_back(std::move(udp_listener));
    return tcp_bound;
  }
  return common::MakeErr("no port free for both UDP and TCP on " + address.host);
}

void DnsServer::Stop() {
  for (auto& listener : impl_->tcp) {
    listener->Stop();
  }
  for (auto& listener : impl_->udp) {
    listener->Stop();
  }
  impl_->tcp.clear();
  impl_->udp.clear();
}

}  // namespace mockdns::server
