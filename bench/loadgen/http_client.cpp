#include "bench/loadgen/http_client.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "common/ascii.hpp"

namespace bench {
namespace {

constexpr std::size_t kMaxHead = 64 * 1024;
constexpr std::size_t kMaxBody = 16 * 1024 * 1024;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool ParseSize(std::string_view text, int base, std::size_t* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out, base);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// "host" or "[v6]" to what getaddrinfo takes.
std::string BareHost(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) {
      return value;
    }
  }
  return "";
}

TlsClientContext::TlsClientContext() : ctx_(SSL_CTX_new(TLS_client_method())) {
  if (!ctx_) {
    std::abort();  // OpenSSL cannot make a context: nothing to measure with
  }
  SSL_CTX_set_min_proto_version(ctx_.get(), TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx_.get(), SSL_VERIFY_NONE, nullptr);
}

HttpConnection::HttpConnection(const TlsClientContext& tls, std::string host, int port)
    : tls_(tls),
      host_(std::move(host)),
      port_(port),
      host_header_(host_ + ":" + std::to_string(port_)) {}

HttpConnection::~HttpConnection() {
  Close();
}

void HttpConnection::Close() {
  // No close_notify: the server sees a TCP close, which every HTTP/1.1 server handles.
  ssl_.reset();
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  buffer_.clear();
}

common::Status<std::string> HttpConnection::Connect() {
  Close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(port_);
  if (const int rc = ::getaddrinfo(BareHost(host_).c_str(), port.c_str(), &hints, &found);
      rc != 0) {
    return "resolve " + host_ + ": " + ::gai_strerror(rc);
  }
  std::string error = "connect " + host_header_ + ": no address";
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      error = std::string("socket: ") + std::strerror(errno);
      continue;
    }
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      fd_ = fd;
      break;
    }
    error = "connect " + host_header_ + ": " + std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (fd_ < 0) {
    return error;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const timeval timeout{kIoTimeoutSeconds, 0};  // a server that stops answering fails the request
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  ssl_.reset(SSL_new(tls_.get()));
  if (!ssl_ || SSL_set_fd(ssl_.get(), fd_) != 1) {
    Close();
    return "SSL_new: " + common::OpenSslErrorText();
  }
  SSL_set_tlsext_host_name(ssl_.get(), BareHost(host_).c_str());
  if (SSL_connect(ssl_.get()) != 1) {
    const std::string why = common::OpenSslErrorText();
    Close();
    return "TLS handshake with " + host_header_ + ": " + (why.empty() ? "failed" : why);
  }
  ++connects_;
  return {};
}

common::Status<std::string> HttpConnection::WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {
    std::size_t written = 0;
    if (SSL_write_ex(ssl_.get(), bytes.data(), bytes.size(), &written) != 1) {
      const int reason = SSL_get_error(ssl_.get(), 0);
      if (reason == SSL_ERROR_WANT_WRITE || reason == SSL_ERROR_WANT_READ) {  // SO_SNDTIMEO
        return std::string(kTimeoutError);
      }
      return "write: " + common::OpenSslErrorText();
    }
    bytes.remove_prefix(written);
  }
  return {};
}

common::Status<std::string> HttpConnection::Fill() {
  char chunk[16384];
  std::size_t got = 0;
  if (SSL_read_ex(ssl_.get(), chunk, sizeof chunk, &got) == 1) {
    buffer_.append(chunk, got);
    return {};
  }
  const int reason = SSL_get_error(ssl_.get(), 0);
  const int error_number = errno;
  const std::string detail = common::OpenSslErrorText();
  // SO_RCVTIMEO expired: the socket read fails with EAGAIN, which OpenSSL reports as a retry.
  if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE ||
      (reason == SSL_ERROR_SYSCALL && (error_number == EAGAIN || error_number == EWOULDBLOCK))) {
    return std::string(kTimeoutError);
  }
  if (reason == SSL_ERROR_ZERO_RETURN || (reason == SSL_ERROR_SYSCALL && error_number == 0) ||
      detail.find("unexpected eof") != std::string::npos) {
    return std::string("connection closed by the server");
  }
  return "read: " + (detail.empty() ? std::string(std::strerror(error_number)) : detail);
}

common::Status<std::string> HttpConnection::ReadExactly(std::size_t size, std::string* out) {
  if (size > kMaxBody) {
    return "body of " + std::to_string(size) + " bytes is too large";
  }
  while (buffer_.size() < size) {
    if (auto filled = Fill(); !filled) {
      return filled;
    }
  }
  out->append(buffer_, 0, size);
  buffer_.erase(0, size);
  return {};
}

common::Status<std::string> HttpConnection::ReadChunked(std::string* body) {
  for (;;) {
    std::size_t eol;
    while ((eol = buffer_.find("\r\n")) == std::string::npos) {
      if (auto filled = Fill(); !filled) {
        return filled;
      }
    }
    std::string_view line = std::string_view(buffer_).substr(0, eol);
    line = line.substr(0, line.find(';'));  // chunk extensions are ignored
    std::size_t size = 0;
    if (!ParseSize(Trim(line), 16, &size)) {
      return "bad chunk size line: " + std::string(line);
    }
    buffer_.erase(0, eol + 2);
    if (size == 0) {
      // Trailers (none expected) end with an empty line.
      for (;;) {
        while ((eol = buffer_.find("\r\n")) == std::string::npos) {
          if (auto filled = Fill(); !filled) {
            return filled;
          }
        }
        const bool last = eol == 0;
        buffer_.erase(0, eol + 2);
        if (last) {
          return {};
        }
      }
    }
    if (auto read = ReadExactly(size, body); !read) {
      return read;
    }
    std::string crlf;
    if (auto read = ReadExactly(2, &crlf); !read) {
      return read;
    }
    if (crlf != "\r\n" || body->size() > kMaxBody) {
      return std::string("bad chunk framing");
    }
  }
}

common::Result<HttpResponse, std::string> HttpConnection::ReadResponse(bool head_request) {
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (buffer_.size() > kMaxHead) {
      return std::string("response head over 64 KiB");
    }
    if (auto filled = Fill(); !filled) {
      return filled.error();
    }
  }
  const std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  HttpResponse response;
  std::size_t line_end = head.find("\r\n");
  const std::string_view status_line = std::string_view(head).substr(0, line_end);
  // "HTTP/1.1 200 OK"
  if (status_line.substr(0, 5) != "HTTP/" || status_line.size() < 12 ||
      std::from_chars(status_line.data() + 9, status_line.data() + 12, response.status).ec !=
          std::errc()) {
    return "bad status line: " + std::string(status_line);
  }
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string_view line = std::string_view(head).substr(
        start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return "bad header line: " + std::string(line);
    }
    response.headers.emplace_back(common::AsciiLower(std::string(Trim(line.substr(0, colon)))),
                                  std::string(Trim(line.substr(colon + 1))));
  }
  const bool no_body = head_request || response.status == 204 || response.status == 304 ||
                       (response.status >= 100 && response.status < 200);
  if (!no_body) {
    const std::string length = response.Header("content-length");
    if (common::AsciiLower(response.Header("transfer-encoding")).find("chunked") !=
        std::string::npos) {
      if (auto read = ReadChunked(&response.body); !read) {
        return read.error();
      }
    } else if (!length.empty()) {
      std::size_t size = 0;
      if (!ParseSize(length, 10, &size)) {
        return "bad Content-Length: " + length;
      }
      if (auto read = ReadExactly(size, &response.body); !read) {
        return read.error();
      }
    } else {
      // Neither: the body runs to the end of the connection (RFC 9112 §6.3).
      while (Fill().ok()) {
      }
      response.body = std::move(buffer_);
      Close();
      return response;
    }
  }
  if (common::AsciiLower(response.Header("connection")) == "close") {
    Close();
  }
  return response;
}

common::Result<HttpResponse, std::string> HttpConnection::Send(const HttpRequest& request) {
  std::string wire = request.method + " " + request.target + " HTTP/1.1\r\nHost: " + host_header_ +
                     "\r\nUser-Agent: anvil-bench/1\r\nAccept: */*\r\n";
  if (!request.content_type.empty()) {
    wire += "Content-Type: " + request.content_type + "\r\n";
  }
  if (request.method == "POST" || !request.body.empty()) {
    wire += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  wire += "\r\n";
  wire += request.body;
  for (int attempt = 0;; ++attempt) {
    const bool reused = ssl_ != nullptr;
    if (!reused) {
      if (auto connected = Connect(); !connected) {
        return connected.error();
      }
    }
    // A keep-alive connection may have been closed by the server while idle; that shows as a
    // failed write or a read that ends before any byte of the response. Retry once on a fresh one.
    const auto written = WriteAll(wire);
    if (!written) {
      Close();
      if (reused && attempt == 0) {
        continue;
      }
      return written.error();
    }
    const bool nothing_buffered = buffer_.empty();
    auto response = ReadResponse(request.method == "HEAD");
    if (!response) {
      const bool stale = reused && attempt == 0 && nothing_buffered &&
                         response.error() == "connection closed by the server";
      Close();
      if (stale) {
        continue;
      }
      return response.error();
    }
    return response;
  }
}

}  // namespace bench
