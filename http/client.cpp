#include "http/client.hpp"

#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "common/ip_literal.hpp"

namespace http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using boost::system::error_code;

// Runs connect (and handshake), write and read on stream; the caller's io_context drives them.
template <typename Stream>
struct Exchange {
  Stream& stream;
  const GetRequest& request;
  bhttp::request<bhttp::empty_body> message;
  beast::flat_buffer buffer;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser;
  std::string failure = "timed out";
  bool done = false;

  void Start(const net::ip::tcp::endpoint& endpoint) {
    message = {bhttp::verb::get, request.target, 11};
    message.set(bhttp::field::host, request.host);
    message.set(bhttp::field::user_agent, request.user_agent);
    message.set(bhttp::field::accept, "*/*");
    message.set(bhttp::field::connection, "close");
    parser.emplace();
    parser->body_limit(request.max_body_bytes);
    beast::get_lowest_layer(stream).async_connect(endpoint, [this](error_code ec) {
      if (ec) {
        return Fail("connect", ec);
      }
      if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        Write();
      } else {
        stream.async_handshake(net::ssl::stream_base::client, [this](error_code h) {
          if (h) {
            return Fail("TLS handshake", h);
          }
          Write();
        });
      }
    });
  }

  void Write() {
    bhttp::async_write(stream, message, [this](error_code ec, std::size_t) {
      if (ec) {
        return Fail("write", ec);
      }
      ReadHeader();
    });
  }

  // The head first, so a declared Content-Length over the cap fails before any body is read:
  // Beast 1.74 loses body_limit when body bytes arrive in the same read as the head.
  void ReadHeader() {
    bhttp::async_read_header(stream, buffer, *parser, [this](error_code r, std::size_t) {
      if (r == bhttp::error::body_limit) {
        return BodyTooLarge();
      }
      if (r) {
        return Fail("read", r);
      }
      if (parser->content_length() && *parser->content_length() > request.max_body_bytes) {
        return BodyTooLarge();
      }
      bhttp::async_read(stream, buffer, *parser, [this](error_code b, std::size_t) {
        if (b == bhttp::error::body_limit) {
          return BodyTooLarge();
        }
        if (b) {
          return Fail("read", b);
        }
        if (parser->get().body().size() > request.max_body_bytes) {
          return BodyTooLarge();  // the same Beast bug, for a body without Content-Length
        }
        done = true;
      });
    });
  }

  void BodyTooLarge() {
    failure = "body over " + std::to_string(request.max_body_bytes) + " octets";
  }

  void Fail(const char* what, error_code ec) {
    failure = std::string(what) + " " + request.address + ":" + std::to_string(request.port) +
              ": " + ec.message();
  }
};

template <typename Stream>
common::Result<Response, std::string> Run(net::io_context& ioc, Stream& stream,
                                          const GetRequest& request,
                                          const net::ip::tcp::endpoint& endpoint) {
  Exchange<Stream> exchange{stream, request, {}, {}, {}, {}, false};
  exchange.Start(endpoint);
  ioc.run_for(request.timeout);
  if (!exchange.done) {
    return common::MakeErr(exchange.failure);
  }
  auto message = exchange.parser->release();
  Response response{static_cast<int>(message.result_int()), {}, std::move(message.body())};
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return response;
}

}  // namespace

common::Result<Response, std::string> Get(const GetRequest& request) {
  error_code ec;
  const auto ip = net::ip::make_address(request.address, ec);
  if (ec || !common::IsIpLiteral(request.address)) {
    return common::MakeErr("bad address " + request.address);
  }
  const net::ip::tcp::endpoint endpoint(ip, request.port);
  net::io_context ioc;
  if (!request.tls) {
    beast::tcp_stream stream(ioc);
    return Run(ioc, stream, request, endpoint);
  }
  net::ssl::context context(net::ssl::context::tls_client);
  context.set_verify_mode(net::ssl::verify_none);  // validation fetches do not verify (Pebble)
  beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
  if (!common::IsIpLiteral(request.host)) {
    SSL_set_tlsext_host_name(stream.native_handle(), request.host.c_str());
  }
  return Run(ioc, stream, request, endpoint);
}

}  // namespace http
