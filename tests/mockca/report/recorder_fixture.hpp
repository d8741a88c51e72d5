#pragma once

// Requests and responses as mockca's router sees them, for the recorder tests.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "common/json.hpp"
#include "http/message.hpp"
#include "mockca/report/recorder.hpp"
#include "tests/support/jws_signer.hpp"

namespace report_test {

inline constexpr char kHost[] = "ca.test:14000";
inline constexpr char kOrigin[] = "https://ca.test:14000";
inline const mockca::report::TimePoint kT0{std::chrono::seconds(1'700'000'000)};

inline http::Request Unsigned(std::string method, std::string target, std::string user_agent) {
  http::Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.host = kHost;
  request.https = true;
  request.remote = "192.0.2.7:50000";
  request.headers = {{"Host", kHost}};
  if (!user_agent.empty()) {
    request.headers.emplace_back("User-Agent", std::move(user_agent));
  }
  return request;
}

// A POST of a flattened JWS signed by key, with kid when given, else the key's jwk.
inline http::Request Signed(const support::TestKey& key, std::string target, std::string nonce,
                            std::string payload, std::string user_agent, std::string kid = "") {
  http::Request request = Unsigned("POST", target, std::move(user_agent));
  request.headers.emplace_back("Content-Type", "application/jose+json");
  nlohmann::json header = support::AcmeHeader(key, kOrigin + target, kid);
  header["nonce"] = std::move(nonce);
  request.body = support::SignFlattened(key, header, payload).dump();
  return request;
}

inline http::Response Reply(int status, std::vector<std::pair<std::string, std::string>> headers,
                            std::string body = "{}") {
  http::Response response{status, std::move(headers), std::move(body)};
  return response;
}

inline http::Response BadNonce(std::string fresh_nonce) {
  return Reply(
      400, {{"Content-Type", "application/problem+json"}, {"Replay-Nonce", std::move(fresh_nonce)}},
      R"({"type":"urn:ietf:params:acme:error:badNonce","detail":"nonce unknown","status":400})");
}

// Records request/response with kind, at kT0 + at.
inline void Record(mockca::report::Recorder& recorder, const http::Request& request,
                   const http::Response& response, std::string kind,
                   std::chrono::milliseconds at = std::chrono::milliseconds(0)) {
  recorder.Record(request, response, std::move(kind), {}, kT0 + at, std::chrono::microseconds(5));
}

}  // namespace report_test
