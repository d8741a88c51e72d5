#pragma once

// A minimal HTTP/1.1 client over TLS (OpenSSL directly, no Beast): one keep-alive connection,
// Content-Length and chunked bodies, enough for the load generator and nothing more.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <openssl/ssl.h>

#include "common/openssl_holders.hpp"
#include "common/result.hpp"

#include "bench/loadgen/url.hpp"

namespace bench {

// Seconds a read or write may block before the request fails with kTimeoutError.
inline constexpr int kIoTimeoutSeconds = 10;
inline constexpr const char* kTimeoutError = "no answer within 10 s (timed out)";

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST"
  std::string target;  // "/dir"
  std::string content_type;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;

  // The first value of header name (lowercase), or "" when absent.
  std::string Header(std::string_view name) const;
};

// The client-side TLS context every connection of a run shares. Certificates are not verified:
// the load generator talks only to a loopback test CA whose root it does not need to know.
// Thread-safe after construction (OpenSSL's SSL_CTX is).
class TlsClientContext {
 public:
  TlsClientContext();
  SSL_CTX* get() const { return ctx_.get(); }

 private:
  common::SslCtxPtr ctx_;
};

using SslPtr = std::unique_ptr<SSL, common::OpenSslDeleter<SSL_free>>;

// One keep-alive HTTPS connection to host:port. Not thread-safe: one per worker.
class HttpConnection {
 public:
  HttpConnection(const TlsClientContext& tls, std::string host, int port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends request and reads the whole response. Connects first when not connected; a reused
  // connection the server closed before answering is reconnected and the request sent once more.
  // Errors (connect, TLS, malformed response) are one line naming the step; the connection is
  // closed after any error.
  common::Result<HttpResponse, std::string> Send(const HttpRequest& request);

  // How many TCP+TLS connections this object has opened.
  int connects() const { return connects_; }

 private:
  common::Status<std::string> Connect();
  void Close();
  common::Status<std::string> WriteAll(std::string_view bytes);
  // Appends at least one byte to buffer_, or fails (the peer closed, or an error).
  common::Status<std::string> Fill();
  common::Result<HttpResponse, std::string> ReadResponse(bool head_request);
  common::Status<std::string> ReadChunked(std::string* body);
  common::Status<std::string> ReadExactly(std::size_t size, std::string* out);

  const TlsClientContext& tls_;
  const std::string host_;
  const int port_;
  std::string host_header_;
  int fd_ = -1;
  SslPtr ssl_;
  std::string buffer_;  // bytes read and not yet consumed
  int connects_ = 0;
};

}  // namespace bench
