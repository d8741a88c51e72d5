// http::Server with a common::IoContextPool: connections accepted on one io_context are served on
// the pool's threads, spread round robin, and a pool stopped with a connection still open does not
// hang.
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include "common/io_context_pool.hpp"
#include "http/server.hpp"

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// The threads the handler ran on.
struct Threads {
  std::mutex mu;
  std::set<std::thread::id> seen;

  http::Response Answer(const http::Request&) {
    std::lock_guard lock(mu);
    seen.insert(std::this_thread::get_id());
    return http::Response::Text(200, "ok");
  }
};

// One request on a new connection (Connection: close); the whole answer.
std::string Get(std::uint16_t port) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({net::ip::address_v4::loopback(), port});
  net::write(socket,
             net::buffer(std::string("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")));
  std::string answer;
  boost::system::error_code end;
  net::read(socket, net::dynamic_buffer(answer), end);
  return answer;
}

TEST_CASE("Connections are served on the pool's threads, round robin", "[http][pool]") {
  Threads threads;
  common::IoContextPool pool(2);
  net::io_context ioc{1};
  std::ostringstream sink;
  common::Logger log{sink, "test"};
  std::thread acceptor_thread;
  {
    http::Server server(
        ioc, [&](const http::Request& r) { return threads.Answer(r); }, nullptr,
        http::ServerLimits{}, log, nullptr, &pool);
    auto bound = server.Listen({"127.0.0.1", 0});
    REQUIRE(bound.ok());
    acceptor_thread = std::thread([&] { ioc.run(); });
    for (int i = 0; i < 4; ++i) {
      CHECK(Get(bound->port).rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    }
    server.Stop();
  }
  ioc.stop();
  const std::thread::id acceptor_id = acceptor_thread.get_id();
  acceptor_thread.join();
  CHECK(threads.seen.size() == 2);
  CHECK(threads.seen.count(acceptor_id) == 0);
  CHECK(threads.seen.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("A pool stops with a connection still open", "[http][pool]") {
  Threads threads;
  net::io_context client_ioc;
  tcp::socket idle(client_ioc);
  {
    common::IoContextPool pool(1);
    net::io_context ioc{1};
    std::ostringstream sink;
    common::Logger log{sink, "test"};
    http::Server server(
        ioc, [&](const http::Request& r) { return threads.Answer(r); }, nullptr,
        http::ServerLimits{}, log, nullptr, &pool);
    auto bound = server.Listen({"127.0.0.1", 0});
    REQUIRE(bound.ok());
    std::thread acceptor_thread([&] { ioc.run(); });
    idle.connect({net::ip::address_v4::loopback(), bound->port});
    // The request proves the connection reached the pool before it is stopped.
    net::write(idle, net::buffer(std::string("GET / HTTP/1.1\r\nHost: test\r\n\r\n")));
    std::string head;
    net::read_until(idle, net::dynamic_buffer(head), "\r\n\r\n");
    CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    server.Stop();
    ioc.stop();
    acceptor_thread.join();
  }  // the pool goes with the connection open and idle: its threads stop, the socket closes
  std::string rest;
  boost::system::error_code end;
  net::read(idle, net::dynamic_buffer(rest), end);
  CHECK((end == net::error::eof || end == net::error::connection_reset));
}

// mockca's order: the pool goes before the acceptor's io_context, whose accept is still pending
// (Stop's close was posted to a stopped io_context). The pending accept must not hold a socket of
// the pool's: destroying the io_context then used the pool's freed socket service (ASan:
// heap-use-after-free, at every mockca exit that raced this way).
TEST_CASE("The acceptor's io_context outlives a pool it handed connections to", "[http][pool]") {
  Threads threads;
  net::io_context ioc{1};
  {
    common::IoContextPool pool(1);
    std::ostringstream sink;
    common::Logger log{sink, "test"};
    http::Server server(
        ioc, [&](const http::Request& r) { return threads.Answer(r); }, nullptr,
        http::ServerLimits{}, log, nullptr, &pool);
    auto bound = server.Listen({"127.0.0.1", 0});
    REQUIRE(bound.ok());
    std::thread acceptor_thread([&] { ioc.run(); });
    CHECK(Get(bound->port).rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    ioc.stop();
    acceptor_thread.join();
    server.Stop();  // the close is posted to the stopped io_context: the accept stays pending
  }
  CHECK(threads.seen.size() == 1);
}  // ioc destroyed here, after the pool

}  // namespace
