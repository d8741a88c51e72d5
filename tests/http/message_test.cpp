#include "http/message.hpp"

#include <catch2/catch.hpp>

namespace message_test {

namespace {

http::Request WithTarget(std::string target, std::string host = "localhost:14000") {
  http::Request request;
  request.method = "GET";
  request.target = std::move(target);
  request.host = std::move(host);
  return request;
}

}  // namespace

TEST_CASE("ApplyAbsoluteFormTarget serves an absolute-form target by its path and authority") {
  auto request = WithTarget("https://127.0.0.1:14000/dir");
  http::ApplyAbsoluteFormTarget(request);
  CHECK(request.target == "/dir");
  CHECK(request.host == "127.0.0.1:14000");  // RFC 9112 §3.2.2: the Host header is ignored

  request = WithTarget("HTTP://example.test/order/1?cursor=2");
  http::ApplyAbsoluteFormTarget(request);
  CHECK(request.target == "/order/1?cursor=2");
  CHECK(request.host == "example.test");
}

TEST_CASE("ApplyAbsoluteFormTarget gives an empty path as the root") {
  auto request = WithTarget("https://example.test");
  http::ApplyAbsoluteFormTarget(request);
  CHECK(request.target == "/");
  CHECK(request.host == "example.test");

  request = WithTarget("https://example.test?x=1");
  http::ApplyAbsoluteFormTarget(request);
  CHECK(request.target == "/?x=1");
}

TEST_CASE("ApplyAbsoluteFormTarget leaves a request without Host without one") {
  auto request = WithTarget("https://example.test/dir", "");
  http::ApplyAbsoluteFormTarget(request);
  CHECK(request.target == "/dir");
  CHECK(request.host.empty());  // still refused with 400 for lacking Host (RFC 9112 §3.2)
}

TEST_CASE("ApplyAbsoluteFormTarget leaves other targets alone") {
  for (const char* target :
       {"/dir", "*", "localhost:443", "/https://x/y", "ftp://x/y", "https:/x"}) {
    auto request = WithTarget(target);
    http::ApplyAbsoluteFormTarget(request);
    CHECK(request.target == target);
    CHECK(request.host == "localhost:14000");
  }
}

}  // namespace message_test
