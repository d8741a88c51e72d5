#include "http/server.hpp"

#include <atomic>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "common/ascii.hpp"
#include "common/tcp_acceptor.hpp"

namespace http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
using beast::error_code;

// State shared by the listeners and sessions of one Server; sessions keep it alive.
struct Shared {
  Handler handler;
  std::shared_ptr<net::ssl::context> tls;
  ServerLimits limits;
  common::Logger& log;
  RefusalResponder refusal;
  std::atomic<std::size_t> connections{0};

  Response Refuse(int status, const std::string& detail) const {
    return refusal ? refusal(status, detail) : Response::Text(status, detail + "\n");
  }
};

// "ip:port", "[ip]:port" for IPv6 (a v4-mapped address shows as such); "" when the socket has
// no peer any more.
std::string RemoteOf(const tcp::socket& socket) {
  error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) {
    return {};
  }
  const std::string address = peer.address().to_string();
  const std::string port = std::to_string(peer.port());
  return peer.address().is_v6() ? "[" + address + "]:" + port : address + ":" + port;
}

// The transfer codings of message's Transfer-Encoding fields, in order, lowercased (several fields
// make one list, RFC 9110 §5.3).
std::vector<std::string> TransferCodings(const bhttp::request<bhttp::string_body>& message) {
  std::vector<std::string> codings;
  for (const auto& field : message) {
    if (field.name() == bhttp::field::transfer_encoding) {
      for (const auto& coding : bhttp::token_list(field.value())) {
        codings.push_back(common::AsciiLower(std::string(coding)));
      }
    }
  }
  return codings;
}

Request ToRequest(const bhttp::request<bhttp::string_body>& message, bool https,
                  std::string server_name, std::string remote) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.host = std::string(message[bhttp::field::host]);
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = message.body();
  request.https = https;
  request.server_name = std::move(server_name);
  request.remote = std::move(remote);
  ApplyAbsoluteFormTarget(request);
  return request;
}

template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Session(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : shared_(std::move(shared)),
        stream_(MakeStream(std::move(socket))),
        timer_(stream_.get_executor()),
        // Unparsed input only (the body goes to the message): a head and some slack. Bounds what
        // the parser's limits miss: a chunk extension line, and a trailer field, which Beast 1.74
        // does not count against header_limit and whose value over 64 KiB throws
        // std::length_error out of the read (the process died on one request).
        buffer_(shared_->limits.max_header_bytes + kReadSlack) {
    ++shared_->connections;
  }
  ~Session() { --shared_->connections; }

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoStart, this->shared_from_this()));
  }

 private:
  Stream MakeStream(tcp::socket&& socket) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *shared_->tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void DoStart() {
    if constexpr (kTls) {
      Lowest().expires_after(shared_->limits.io_timeout);
      stream_.async_handshake(
          net::ssl::stream_base::server,
          beast::bind_front_handler(&Session::OnHandshake, this->shared_from_this()));
    } else {
      DoRead();
    }
  }

  void OnHandshake(error_code ec) {
    if (ec) {
      return;  // a client that fails TLS gets no HTTP; nothing to answer
    }
    DoRead();
  }

  void DoRead() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.max_header_bytes));
    parser_->body_limit(shared_->limits.max_body_bytes);
    Lowest().expires_after(shared_->limits.io_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(error_code ec, std::size_t) {
    // A peer that just closes (TCP FIN, or TLS without close_notify: stream_truncated) ends the
    // connection quietly; there is nobody left to answer.
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::ssl::error::stream_truncated || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return DoClose();
    }
    if (ec == bhttp::error::header_limit) {
      return Send(shared_->Refuse(431, "request header fields too large"), true);
    }
    if (ec == bhttp::error::body_limit || ec == bhttp::error::buffer_overflow) {
      return Send(shared_->Refuse(413, "request body too large"), true);
    }
    if (ec) {
      // A malformed request line, header or chunk: the connection state is unknown, so close.
      return Send(shared_->Refuse(400, "malformed HTTP request"), true);
    }
    auto message = parser_->release();
    const std::vector<std::string> codings = TransferCodings(message);
    if (message.count(bhttp::field::transfer_encoding) > 0 &&
        (codings.empty() || codings.back() != "chunked")) {
      // RFC 9112 §6.3: without chunked last the body length is unknown; reading on would take
      // the body for the next request (request smuggling), so 400 and close.
      return Send(shared_->Refuse(400, "Transfer-Encoding without chunked last"), true);
    }
    for (const std::string& coding : codings) {
      if (coding != "chunked") {  // RFC 9112 §6.1: a coding the server does not implement
        return Send(shared_->Refuse(501, "transfer coding \"" + coding +
                                             "\" is not implemented (only chunked)"),
                    true);
      }
    }
    std::string server_name;
    if constexpr (kTls) {
      if (const char* sni =
              SSL_get_servername(stream_.native_handle(), TLSEXT_NAMETYPE_host_name)) {
        server_name = sni;
      }
    }
    Response response;
    try {
      response = shared_->handler(
          ToRequest(message, kTls, std::move(server_name), RemoteOf(Lowest().socket())));
    } catch (const std::exception& e) {
      shared_->log.Error(std::string("handler failed: ") + e.what());
      response = shared_->Refuse(500, "internal error");
    }
    const bool close = !message.keep_alive() || !shared_->limits.keep_alive;
    Deliver(std::move(response), close, message.version(), message.method() == bhttp::verb::head);
  }

  // Carries out response.delivery: waits its delay on the strand's timer (the io thread stays
  // free), then writes normally, closes without a byte, or writes part of it and resets.
  void Deliver(Response response, bool close, unsigned version, bool head) {
    if (response.delivery.delay > std::chrono::milliseconds::zero()) {
      timer_.expires_after(std::exchange(response.delivery.delay, {}));
      timer_.async_wait([self = this->shared_from_this(), response = std::move(response), close,
                         version, head](error_code ec) mutable {
        if (!ec) {
          self->Deliver(std::move(response), close, version, head);
        }
      });
      return;
    }
    switch (response.delivery.mode) {
      case Delivery::Mode::kNormal:
        return Send(std::move(response), close, version, head);
      case Delivery::Mode::kClose:
        return Abort(false);
      case Delivery::Mode::kResetMidBody:
        return SendTruncatedThenReset(std::move(response), version, head);
    }
  }

  static std::shared_ptr<bhttp::response<bhttp::string_body>> ToMessage(Response response,
                                                                        bool close,
                                                                        unsigned version,
                                                                        bool head) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(version);
    message->result(static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers) {
      message->insert(name, value);
    }
    message->body() = std::move(response.body);
    message->prepare_payload();
    if (head) {
      message->body().clear();  // Content-Length stays that of the GET
    }
    message->keep_alive(!close);
    return message;
  }

  // The head with the full Content-Length and the first half of the body, then a TCP reset: the
  // client reads a truncated response (F-CONN-RESET).
  void SendTruncatedThenReset(Response response, unsigned version, bool head) {
    std::ostringstream serialized;
    serialized << *ToMessage(std::move(response), true, version, head);
    auto wire = std::make_shared<std::string>(std::move(serialized).str());
    const std::size_t head_end = wire->find("\r\n\r\n");
    const std::size_t body_start = head_end == std::string::npos ? wire->size() : head_end + 4;
    const std::size_t cut = body_start + (wire->size() - body_start) / 2;
    Lowest().expires_after(shared_->limits.io_timeout);
    net::async_write(stream_, net::buffer(wire->data(), cut),
                     [self = this->shared_from_this(), wire](error_code ec, std::size_t) {
                       if (ec) {
                         return self->Abort(true);
                       }
                       // Give the bytes a moment to leave the send buffer: a reset discards
                       // whatever the kernel has not sent yet.
                       self->timer_.expires_after(kResetFlushDelay);
                       self->timer_.async_wait([self](error_code) { self->Abort(true); });
                     });
  }

  // Ends the connection without an HTTP response or TLS close_notify: FIN, or RST when reset.
  void Abort(bool reset) {
    error_code ignored;
    auto& socket = Lowest().socket();
    if (reset) {
      socket.set_option(tcp::socket::linger(true, 0), ignored);
    } else {
      socket.shutdown(tcp::socket::shutdown_both, ignored);
    }
    Lowest().close();
  }

  void Send(Response response, bool close, unsigned version = 11, bool head = false) {
    auto message = ToMessage(std::move(response), close, version, head);
    Lowest().expires_after(shared_->limits.io_timeout);
    bhttp::async_write(stream_, *message,
                       [self = this->shared_from_this(), message, close](
                           error_code ec, std::size_t) { self->OnWrite(ec, close); });
  }

  void OnWrite(error_code ec, bool close) {
    if (ec || close) {
      return DoClose();
    }
    DoRead();
  }

  void DoClose() {
    if constexpr (kTls) {
      Lowest().expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](error_code) {
        // stream_truncated and friends are expected here: the peer may just close TCP.
        error_code ignored;
        self->Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
      });
    } else {
      error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  static constexpr std::chrono::milliseconds kResetFlushDelay{50};
  static constexpr std::size_t kReadSlack = 8 * 1024;

  std::shared_ptr<Shared> shared_;
  Stream stream_;
  net::steady_timer timer_;  // Delivery::delay, and the pause before a reset
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
};

// Starts a session for socket, or closes it when the server is at its connection limit.
void Accept(const std::shared_ptr<Shared>& shared, tcp::socket socket) {
  if (shared->connections.load() >= shared->limits.max_connections) {
    error_code ignored;
    socket.close(ignored);
  } else if (shared->tls) {
    std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket), shared)
        ->Run();
  } else {
    std::make_shared<Session<beast::tcp_stream>>(std::move(socket), shared)->Run();
  }
}

}  // namespace

struct Server::Impl {
  net::io_context& ioc;
  common::IoContextPool* connections;
  std::shared_ptr<Shared> shared;
  std::vector<std::shared_ptr<common::TcpAcceptor>> acceptors;
};

Server::Server(net::io_context& ioc, Handler handler, std::shared_ptr<net::ssl::context> tls,
               ServerLimits limits, common::Logger& log, RefusalResponder refusal,
               common::IoContextPool* connections)
    : impl_(std::make_shared<Impl>(
          Impl{ioc,
               connections,
               std::shared_ptr<Shared>(new Shared{
                   std::move(handler), std::move(tls), limits, log, std::move(refusal), {}}),
               {}})) {}

Server::~Server() {
  Stop();
}

common::Result<common::ListenAddress, std::string> Server::Listen(
    const common::ListenAddress& address) {
  auto acceptor = std::make_shared<common::TcpAcceptor>(
      impl_->ioc,
      [shared = impl_->shared](tcp::socket socket) { Accept(shared, std::move(socket)); },
      impl_->connections);
  auto bound = acceptor->Listen(address);
  if (bound) {
    impl_->acceptors.push_back(std::move(acceptor));
  }
  return bound;
}

void Server::Stop() {
  for (auto& acceptor : impl_->acceptors) {
    acceptor->Stop();
  }
  impl_->acceptors.clear();
}

}  // namespace http
