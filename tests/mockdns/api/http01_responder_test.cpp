#include "mockdns/api/http01_responder.hpp"

#include <catch2/catch.hpp>

namespace http01_responder_test {

namespace {

using mockdns::api::RespondHttp01;
using mockdns::zone::ChallengeResponses;
using mockdns::zone::RequestHistory;

http::Request Get(const std::string& target, bool https = false) {
  http::Request request;
  request.method = "GET";
  request.target = target;
  request.host = "Example.com:5002";
  request.headers = {{"user-agent", "Go-http-client/1.1"}, {"Accept", "*/*"}};
  request.https = https;
  request.server_name = https ? "example.com" : "";
  return request;
}

struct Http01 {
  ChallengeResponses responses;
  RequestHistory history;
  Http01() {
    responses.AddHttp01("tok", "tok.thumbprint");
    responses.AddRedirect("/.well-known/acme-challenge/moved", "https://example.com/elsewhere");
  }
};

TEST_CASE("RespondHttp01 serves the content of a known token", "[api][http01]") {
  Http01 s;
  for (const bool https : {false, true}) {
    DYNAMIC_SECTION((https ? "HTTPS" : "HTTP")) {
      const http::Response response =
          RespondHttp01(Get("/.well-known/acme-challenge/tok", https), s.responses, s.history);
      CHECK(response.status == 200);
      CHECK(response.body == "tok.thumbprint");
    }
  }
}

TEST_CASE("RespondHttp01 answers an unknown token with 200 and no body", "[api][http01]") {
  Http01 s;
  const http::Response response =
      RespondHttp01(Get("/.well-known/acme-challenge/unknown"), s.responses, s.history);
  CHECK(response.status == 200);
  CHECK(response.body.empty());
}

TEST_CASE("RespondHttp01 ignores the query string of a token request", "[api][http01]") {
  Http01 s;
  const http::Response response =
      RespondHttp01(Get("/.well-known/acme-challenge/tok?x=1"), s.responses, s.history);
  CHECK(response.status == 200);
  CHECK(response.body == "tok.thumbprint");
}

TEST_CASE("RespondHttp01 answers 404 outside the challenge path", "[api][http01]") {
  Http01 s;
  for (const char* target :
       {"/", "/index.html", "/.well-known/acme-challenge", "/.well-known/other/tok"}) {
    DYNAMIC_SECTION(target) {
      const http::Response response = RespondHttp01(Get(target), s.responses, s.history);
      CHECK(response.status == 404);
      CHECK(response.body == "404 page not found\n");
    }
  }
}

TEST_CASE("RespondHttp01 redirects on plain HTTP only", "[api][http01]") {
  Http01 s;
  const http::Response plain =
      RespondHttp01(Get("/.well-known/acme-challenge/moved"), s.responses, s.history);
  CHECK(plain.status == 302);
  CHECK(plain.headers == std::vector<std::pair<std::string, std::string>>{
                             {"Location", "https://example.com/elsewhere"}});

  const http::Response secure =
      RespondHttp01(Get("/.well-known/acme-challenge/moved", true), s.responses, s.history);
  CHECK(secure.status == 200);
  CHECK(secure.body.empty());
  for (const auto& header : secure.headers) {
    CHECK(header.first != "Location");
  }
}

TEST_CASE("RespondHttp01 redirects any exact path, not only challenges", "[api][http01]") {
  Http01 s;
  s.responses.AddRedirect("/old", "http://example.com/new");
  const http::Response response = RespondHttp01(Get("/old?q=1"), s.responses, s.history);
  CHECK(response.status == 302);
}

TEST_CASE("RespondHttp01 records every request with its User-Agent", "[api][http01]") {
  Http01 s;
  (void)RespondHttp01(Get("/.well-known/acme-challenge/tok"), s.responses, s.history);
  (void)RespondHttp01(Get("/nowhere", true), s.responses, s.history);

  const auto events = s.history.Http("example.com");
  REQUIRE(events.size() == 2);
  CHECK(events[0].url == "/.well-known/acme-challenge/tok");
  CHECK(events[0].host == "Example.com:5002");
  CHECK(events[0].user_agent == "Go-http-client/1.1");
  CHECK_FALSE(events[0].https);
  CHECK(events[1].url == "/nowhere");
  CHECK(events[1].https);
  CHECK(events[1].server_name == "example.com");
}

}  // namespace

}  // namespace http01_responder_test
