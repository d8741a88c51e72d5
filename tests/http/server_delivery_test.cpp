// http::Server carrying out http::Delivery: the transport half of mockca's fault injection
// (conformance.md Part C: delays, F-CONN-RESET).
#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include "http/server.hpp"

namespace server_delivery_test {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kDelay{300};
const std::string kBody(1000, 'x');

// Answers by path: /delay after kDelay, /slow after 3 * kDelay, /close with nothing, /reset with
// half of kBody; anything else at once.
http::Response Answer(const http::Request& request) {
  http::Response response = http::Response::Text(200, kBody);
  if (request.target == "/delay") {
    response.delivery.delay = kDelay;
  } else if (request.target == "/slow") {
    response.delivery.delay = 3 * kDelay;
  } else if (request.target == "/close") {
    response.delivery.mode = http::Delivery::Mode::kClose;
  } else if (request.target == "/reset") {
    response.delivery.mode = http::Delivery::Mode::kResetMidBody;
  }
  return response;
}

// The server on 127.0.0.1:<any>, on one io thread (so a blocking wait would stall every client).
struct LiveServer {
  net::io_context ioc{1};
  std::ostringstream sink;
  common::Logger log{sink, "test"};
  http::Server server{ioc, Answer, nullptr, http::ServerLimits{}, log};
  std::uint16_t port = 0;
  std::thread thread;

  LiveServer() {
    auto bound = server.Listen({"127.0.0.1", 0});
    REQUIRE(bound.ok());
    port = bound->port;
    thread = std::thread([this] { ioc.run(); });
  }
  ~LiveServer() {
    server.Stop();
    ioc.stop();
    thread.join();
  }
};

// One client connection: sends a GET, then reads whatever comes until the connection ends.
struct Client {
  net::io_context ioc;
  tcp::socket socket{ioc};
  Clock::time_point sent;

  Client(std::uint16_t port, const std::string& target) {
    socket.connect({net::ip::address_v4::loopback(), port});
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    sent = Clock::now();
    net::write(socket, net::buffer(request));
  }

  struct Received {
    std::string bytes;
    boost::system::error_code end;  // why reading stopped: eof, connection_reset, ...
    Clock::duration elapsed;
  };
  Received ReadAll() {
    Received received;
    char chunk[4096];
    for (;;) {
      const std::size_t n = socket.read_some(net::buffer(chunk), received.end);
      received.bytes.append(chunk, n);
      if (received.end) {
        break;
      }
    }
    received.elapsed = Clock::now() - sent;
    return received;
  }
};

bool EndedByPeer(const boost::system::error_code& ec) {
  return ec == net::error::eof || ec == net::error::connection_reset;
}

std::string BodyOf(const std::string& bytes) {
  const auto head_end = bytes.find("\r\n\r\n");
  return head_end == std::string::npos ? std::string() : bytes.substr(head_end + 4);
}

TEST_CASE("A normal delivery writes the whole response", "[http][faults]") {
  LiveServer server;
  const auto received = Client(server.port, "/").ReadAll();
  CHECK(received.end == net::error::eof);
  CHECK(received.bytes.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(BodyOf(received.bytes) == kBody);
}

TEST_CASE("A delivery delay holds the response back at least that long", "[http][faults]") {
  LiveServer server;
  const auto received = Client(server.port, "/delay").ReadAll();
  CHECK(received.elapsed >= kDelay);
  CHECK(BodyOf(received.bytes) == kBody);
}

TEST_CASE("A delayed response does not hold up other connections on the same io thread",
          "[http][faults]") {
  LiveServer server;
  Client slow(server.port, "/slow");
  const auto fast = Client(server.port, "/").ReadAll();
  const auto fast_done = Clock::now();
  const auto late = slow.ReadAll();
  CHECK(BodyOf(fast.bytes) == kBody);
  CHECK(BodyOf(late.bytes) == kBody);
  CHECK(late.elapsed >= 3 * kDelay);
  CHECK(fast_done < slow.sent + late.elapsed);  // the fast one finished first
}

TEST_CASE("F-CONN-RESET: kClose ends the connection without a byte", "[http][faults]") {
  LiveServer server;
  const auto received = Client(server.port, "/close").ReadAll();
  CHECK(received.bytes.empty());
  CHECK(EndedByPeer(received.end));
}

TEST_CASE("F-CONN-RESET: kResetMidBody sends the head and part of the body, then resets",
          "[http][faults]") {
  LiveServer server;
  const auto received = Client(server.port, "/reset").ReadAll();
  INFO(received.end.message());
  CHECK(EndedByPeer(received.end));
  CHECK(received.bytes.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(received.bytes.find("Content-Length: 1000\r\n") != std::string::npos);
  const std::string body = BodyOf(received.bytes);
  CHECK(body.size() < kBody.size());
  CHECK(body == kBody.substr(0, body.size()));
}

TEST_CASE("A delay combines with kClose: nothing arrives, and not before the delay",
          "[http][faults]") {
  net::io_context ioc{1};
  std::ostringstream sink;
  common::Logger log{sink, "test"};
  http::Server server{ioc,
                      [](const http::Request&) {
                        http::Response response = http::Response::Text(200, "ok");
                        response.delivery = {kDelay, http::Delivery::Mode::kClose};
                        return response;
                      },
                      nullptr, http::ServerLimits{}, log};
  auto bound = server.Listen({"127.0.0.1", 0});
  REQUIRE(bound.ok());
  std::thread thread([&ioc] { ioc.run(); });
  const auto received = Client(bound->port, "/").ReadAll();
  server.Stop();
  ioc.stop();
  thread.join();
  CHECK(received.bytes.empty());
  CHECK(EndedByPeer(received.end));
  CHECK(received.elapsed >= kDelay);
}

}  // namespace

}  // namespace server_delivery_test
