#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "http/message.hpp"

namespace http {

// One GET for the VA and tests: connects to address:port (an IP literal), sends Host and target,
// reads one response with the body capped at max_body_bytes (a longer body is an error), and
// closes. With tls, speaks HTTPS without verifying the certificate (a validation fetch after a
// redirect, as Pebble's VA does) and sends server_name as SNI when it is a DNS name.
struct GetRequest {
  std::string address;
  std::uint16_t port = 80;
  bool tls = false;
  std::string host;  // the Host header (and SNI for TLS)
  std::string target = "/";
  std::string user_agent;
  std::size_t max_body_bytes = 64 * 1024;
  std::chrono::milliseconds timeout{10000};  // for the whole exchange
};

// The response, or why there is none ("connect 127.0.0.1:80: Connection refused", "timed out",
// "body over 65536 octets", ...).
common::Result<Response, std::string> Get(const GetRequest& request);

}  // namespace http
