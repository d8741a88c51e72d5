#include "mockdns/server/tls_alpn_server.hpp"

#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "common/tcp_acceptor.hpp"
#include "common/x509_builder.hpp"
#include "mockdns/server/tls_alpn_certificate.hpp"

namespace mockdns::server {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;
using net::ip::tcp;

struct TlsAlpnShared {
  const zone::ChallengeResponses& responses;
  zone::RequestHistory& history;
  common::Rng& rng;
  common::Logger& log;
  common::EvpPkeyPtr key;  // one key for every minted certificate
  ssl::context tls{ssl::context::tls_server};
};

// Reads a 2-byte big-endian length at p.
std::size_t Length16(const unsigned char* p) {
  return static_cast<std::size_t>(p[0]) << 8 | p[1];
}

// RFC 6066 §3 server_name extension: list length, then (type, length, name) entries.
std::string ClientHelloServerName(SSL* ssl) {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &data, &size) != 1 || size < 2) {
    return {};
  }
  const std::size_t list = std::min(Length16(data), size - 2);
  for (std::size_t at = 2; at + 3 <= 2 + list;) {
    const unsigned char type = data[at];
    const std::size_t length = Length16(data + at + 1);
    if (at + 3 + length > 2 + list) {
      break;
    }
    if (type == TLSEXT_NAMETYPE_host_name) {
      return std::string(reinterpret_cast<const char*>(data + at + 3), length);
    }
    at += 3 + length;
  }
  return {};
}

// RFC 7301 §3.1 ALPN extension: list length, then (length, protocol) entries.
std::vector<std::string> ClientHelloAlpn(SSL* ssl) {
  std::vector<std::string> protocols;
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_application_layer_protocol_negotiation, &data,
                                &size) != 1 ||
      size < 2) {
    return protocols;
  }
  const std::size_t end = 2 + std::min(Length16(data), size - 2);
  for (std::size_t at = 2; at < end;) {
    const std::size_t length = data[at];
    if (at + 1 + length > end) {
      break;
    }
    protocols.emplace_back(reinterpret_cast<const char*>(data + at + 1), length);
    at += 1 + length;
  }
  return protocols;
}

int OnClientHello(SSL* ssl, int* alert, void* arg) {
  auto* shared = static_cast<TlsAlpnShared*>(arg);
  const std::string server_name = ClientHelloServerName(ssl);
  const std::vector<std::string> protocols = ClientHelloAlpn(ssl);
  shared->history.Add(zone::TlsAlpnRequestEvent{server_name, protocols});

  *alert = SSL_AD_INTERNAL_ERROR;  // alert 80, as challtestsrv sends
  if (protocols != std::vector<std::string>{kAcmeTlsAlpnProtocol}) {
    return SSL_CLIENT_HELLO_ERROR;
  }
  auto content = shared->responses.TlsAlpn01(server_name);
  if (!content) {
    if (auto ip = ReverseNameToIp(server_name)) {
      content = shared->responses.TlsAlpn01(*ip);
    }
  }
  if (!content) {
    shared->log.Debug("tls-alpn-01: no response for SNI \"" + server_name + "\"");
    return SSL_CLIENT_HELLO_ERROR;
  }
  auto cert = MintTlsAlpnCertificate(server_name, *content, shared->key.get(), shared->rng);
  if (!cert) {
    shared->log.Warn("tls-alpn-01: minting for \"" + server_name + "\": " + cert.error());
    return SSL_CLIENT_HELLO_ERROR;
  }
  if (SSL_use_certificate(ssl, cert.value().get()) != 1 ||
      SSL_use_PrivateKey(ssl, shared->key.get()) != 1) {
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

int OnAlpnSelect(SSL*, const unsigned char** out, unsigned char* out_length,
                 const unsigned char* in, unsigned int in_length, void*) {
  static constexpr unsigned char kWire[] =
      "\x0a"
      "acme-tls/1";
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_length, kWire, sizeof kWire - 1, in, in_length) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

class Handshake : public std::enable_shared_from_this<Handshake> {
 public:
  Handshake(tcp::socket socket, std::shared_ptr<TlsAlpnShared> shared)
      : shared_(std::move(shared)),
        stream_(std::move(socket), shared_->tls),
        timer_(stream_.get_executor()) {}

  void Start() {
    timer_.expires_after(TlsAlpnServer::kHandshakeTimeout);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) {
        error_code ignored;
        self->stream_.lowest_layer().close(ignored);
      }
    });
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](error_code ec) {
      if (ec) {
        self->Close();
        return;
      }
      // The validation is the handshake itself; say goodbye properly.
      self->stream_.async_shutdown([self](error_code) { self->Close(); });
    });
  }

 private:
  void Close() {
    error_code ignored;
    timer_.cancel();
    stream_.lowest_layer().close(ignored);
  }

  std::shared_ptr<TlsAlpnShared> shared_;
  ssl::stream<tcp::socket> stream_;
  net::steady_timer timer_;
};

}  // namespace

struct TlsAlpnServer::Impl {
  net::io_context& ioc;
  std::shared_ptr<TlsAlpnShared> shared;
  std::vector<std::shared_ptr<common::TcpAcceptor>> acceptors;
};

TlsAlpnServer::TlsAlpnServer(net::io_context& ioc, const zone::ChallengeResponses& responses,
                             zone::RequestHistory& history, common::Rng& rng, common::Logger& log)
    : impl_(
          std::make_shared<Impl>(Impl{ioc,
                                      std::shared_ptr<TlsAlpnShared>(new TlsAlpnShared{
                                          responses, history, rng, log, common::GenerateP256Key()}),
                                      {}})) {
  SSL_CTX* ctx = impl_->shared->tls.native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_client_hello_cb(ctx, OnClientHello, impl_->shared.get());
  SSL_CTX_set_alpn_select_cb(ctx, OnAlpnSelect, nullptr);
}

TlsAlpnServer::~TlsAlpnServer() {
  Stop();
}

common::Result<common::ListenAddress, std::string> TlsAlpnServer::Listen(
    const common::ListenAddress& address) {
  auto acceptor = std::make_shared<common::TcpAcceptor>(
      impl_->ioc, [shared = impl_->shared](tcp::socket socket) {
        std::make_shared<Handshake>(std::move(socket), shared)->Start();
      });
  auto bound = acceptor->Listen(address);
  if (bound) {
    impl_->acceptors.push_back(std::move(acceptor));
  }
  return bound;
}

void TlsAlpnServer::Stop() {
  for (auto& acceptor : impl_->acceptors) {
    acceptor->Stop();
  }
  impl_->acceptors.clear();
}

}  // namespace mockdns::server
