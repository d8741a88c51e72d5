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

namespace server_connection_pool_test {

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

// An http::Server on 127.0.0.1:<any> that accepts on ioc, run by a thread of its own, and serves
// its connections on pool; the handler records its thread in threads.
struct PooledServer {
  std::ostringstream sink;
  common::Logger log{sink, "test"};
  http::Server server;
  std::uint16_t port = 0;
  std::thread acceptor_thread;
  std::thread::id acceptor_id;

  PooledServer(net::io_context& ioc, common::IoContextPool& pool, Threads& threads)
      : server(
            ioc, [&threads](const http::Request& r) { return threads.Answer(r); }, nullptr,
            http::ServerLimits{}, log, nullptr, &pool) {
    auto bound = server.Listen({"127.0.0.1", 0});
    REQUIRE(bound.ok());
    port = bound->port;
    acceptor_thread = std::thread([&ioc] { ioc.run(); });
    acceptor_id = acceptor_thread.get_id();
  }

  // mockca's exit order: the acceptor's io_context stops, then the listener, so the close that
  // Stop posts never runs and the accept stays pending.
  void Stop(net::io_context& ioc) {
    ioc.stop();
    acceptor_thread.join();
    server.Stop();
  }
};

TEST_CASE("Connections are served on the pool's threads, round robin", "[http][pool]") {
  Threads threads;
  common::IoContextPool pool(2);
  net::io_context ioc{1};
  PooledServer server(ioc, pool, threads);
  for (int i = 0; i < 4; ++i) {
    CHECK(Get(server.port).rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  }
  server.Stop(ioc);
  CHECK(threads.seen.size() == 2);
  CHECK(threads.seen.count(server.acceptor_id) == 0);
  CHECK(threads.seen.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("A pool stops with a connection still open", "[http][pool]") {
  Threads threads;
  net::io_context client_ioc;
  tcp::socket idle(client_ioc);
  {
    common::IoContextPool pool(1);
    net::io_context ioc{1};
    PooledServer server(ioc, pool, threads);
    idle.connect({net::ip::address_v4::loopback(), server.port});
    // The request proves the connection reached the pool before it is stopped.
    net::write(idle, net::buffer(std::string("GET / HTTP/1.1\r\nHost: test\r\n\r\n")));
    std::string head;
    net::read_until(idle, net::dynamic_buffer(head), "\r\n\r\n");
    CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    server.Stop(ioc);
  }  // the pool goes with the connection open and idle: its threads stop, the socket closes
  std::string rest;
  boost::system::error_code end;
  net::read(idle, net::dynamic_buffer(rest), end);
  CHECK((end == net::error::eof || end == net::error::connection_reset));
}

// The pool goes before the acceptor's io_context, whose accept is still pending. The pending
// accept must not hold a socket of the pool's: destroying the io_context then used the pool's
// freed socket service (ASan: heap-use-after-free, at every mockca exit that raced this way).
TEST_CASE("The acceptor's io_context outlives a pool it handed connections to", "[http][pool]") {
  Threads threads;
  net::io_context ioc{1};
  {
    common::IoContextPool pool(1);
    PooledServer server(ioc, pool, threads);
    CHECK(Get(server.port).rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    server.Stop(ioc);
  }
  CHECK(threads.seen.size() == 1);
}  // ioc destroyed here, after the pool

}  // namespace

}  // namespace server_connection_pool_test
