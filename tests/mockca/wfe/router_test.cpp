#include "mockca/wfe/router.hpp"

#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "mockca/wfe/directory_handlers.hpp"
#include "mockca/wfe/paths.hpp"

namespace router_test {

namespace {

using mockca::wfe::RequestContext;

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

// A router with the directory routes and three test routes, over a seeded nonce service.
struct Fixture {
  common::Rng rng{5};
  mockca::wfe::NonceService nonces{rng};
  std::ostringstream sink;
  common::Logger log{sink, "test"};
  mockca::wfe::Router router{nonces, log};

  Fixture() {
    mockca::wfe::AddDirectoryRoutes(router, {}, nonces);
    router.Add("/post-only", {"POST"},
               [](const RequestContext&) -> mockca::acme::Result<http::Response> {
                 return mockca::acme::Malformed("always fails");
               });
    router.Add("/thing/", {"POST"},
               [](const RequestContext& context) -> mockca::acme::Result<http::Response> {
                 return http::Response::Text(200, context.id + " " + context.request_url);
               });
    router.Add(
        "/nested/", {"POST"},
        [](const RequestContext& context) -> mockca::acme::Result<http::Response> {
          return http::Response::Text(200, context.id);
        },
        mockca::wfe::IdShape::kSegments);
    router.Add("/throws", {"GET"},
               [](const RequestContext&) -> mockca::acme::Result<http::Response> {
                 throw std::runtime_error("boom");
               });
  }

  http::Response Send(std::string method, std::string target,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.host = "ca.test:14000";
    request.headers = std::move(headers);
    request.https = true;
    return router.Dispatch(request);
  }
};

nlohmann::json Body(const http::Response& response) {
  return nlohmann::json::parse(response.body);
}

TEST_CASE("The directory lists every resource as an https URL and carries meta", "[wfe][dir]") {
  Fixture f;
  const auto response = f.Send("GET", "/dir");
  REQUIRE(response.status == 200);
  const auto directory = Body(response);
  // S-DIR-02, S-HTTP-01.
  for (const char* key : {"newNonce", "newAccount", "newOrder", "revokeCert", "keyChange"}) {
    DYNAMIC_SECTION(key) {
      REQUIRE(directory.contains(key));
      CHECK(directory[key].get<std::string>().rfind("https://ca.test:14000/", 0) == 0);
    }
  }
  CHECK_FALSE(directory.contains("newAuthz"));
  CHECK(directory["meta"].is_object());       // S-DIR-03
  CHECK(HeaderOf(response, "Link").empty());  // S-DIR-04: no rel=index on the directory itself
  CHECK(HeaderOf(response, "Replay-Nonce").empty());
}

TEST_CASE("newNonce answers HEAD 200 and GET 204 with a fresh no-store nonce", "[wfe][nonce]") {
  Fixture f;
  const auto head = f.Send("HEAD", "/nonce-plz");
  const auto get = f.Send("GET", "/nonce-plz");
  CHECK(head.status == 200);  // S-NONCE-02
  CHECK(get.status == 204);
  CHECK(get.body.empty());
  for (const auto* response : {&head, &get}) {
    CHECK(HeaderOf(*response, "Cache-Control") == "no-store");  // S-NONCE-03
    CHECK(HeaderOf(*response, "Link") == "<https://ca.test:14000/dir>;rel=\"index\"");
  }
  CHECK(HeaderOf(head, "Replay-Nonce") != HeaderOf(get, "Replay-Nonce"));
  CHECK(f.nonces.Redeem(HeaderOf(get, "Replay-Nonce")));
}

TEST_CASE("A wrong method gets 405 malformed with Allow", "[wfe][router]") {
  Fixture f;
  const auto response = f.Send("GET", "/post-only");  // S-HTTP-06
  CHECK(response.status == 405);
  CHECK(HeaderOf(response, "Allow") == "POST");
  CHECK(Body(response)["type"] == "urn:ietf:params:acme:error:malformed");
  CHECK(HeaderOf(response, "Content-Type") == "application/problem+json; charset=utf-8");
  CHECK(HeaderOf(f.Send("POST", "/dir"), "Allow") == "GET, HEAD");
}

TEST_CASE("Every POST response carries a Replay-Nonce, errors included", "[wfe][router]") {
  Fixture f;
  const auto response = f.Send("POST", "/post-only");  // S-NONCE-01
  CHECK(response.status == 400);
  CHECK(Body(response)["detail"] == "always fails");
  CHECK(f.nonces.Redeem(HeaderOf(response, "Replay-Nonce")));
  CHECK_FALSE(HeaderOf(f.Send("POST", "/no-such-path"), "Replay-Nonce").empty());
}

TEST_CASE("Unknown paths and nested IDs are 404 problems", "[wfe][router]") {
  Fixture f;
  for (const char* target : {"/nope", "/thing/", "/thing/a/b", "/dirx"}) {
    DYNAMIC_SECTION(target) {
      const auto response = f.Send("POST", target);
      CHECK(response.status == 404);
      CHECK(Body(response)["type"] == "urn:ietf:params:acme:error:malformed");
    }
  }
  const auto found = f.Send("POST", "/thing/abc?x=1");
  CHECK(found.status == 200);
  CHECK(found.body == "abc https://ca.test:14000/thing/abc?x=1");
}

TEST_CASE("Only a kSegments prefix route takes an id with '/' (certificate alternates)",
          "[wfe][router]") {
  Fixture f;
  const auto nested = f.Send("POST", "/nested/abc/alternate/1");
  CHECK(nested.status == 200);
  CHECK(nested.body == "abc/alternate/1");
  CHECK(f.Send("POST", "/nested/abc").body == "abc");
  CHECK(f.Send("POST", "/nested/").status == 404);                // the id is never empty
  CHECK(f.Send("POST", "/thing/abc/alternate/1").status == 404);  // other routes unchanged
}

TEST_CASE("CORS headers and preflight follow S-HTTP-02", "[wfe][router]") {
  Fixture f;
  const auto response = f.Send("GET", "/dir", {{"Origin", "https://app.example"}});
  CHECK(HeaderOf(response, "Access-Control-Allow-Origin") == "*");
  CHECK(HeaderOf(response, "Access-Control-Expose-Headers") == "Link, Replay-Nonce, Location");
  const auto preflight = f.Send("OPTIONS", "/post-only", {{"Origin", "https://app.example"}});
  CHECK(preflight.status == 204);
  CHECK(HeaderOf(preflight, "Access-Control-Allow-Methods") == "POST");
}

TEST_CASE("A handler exception becomes a serverInternal problem", "[wfe][router]") {
  Fixture f;
  const auto response = f.Send("GET", "/throws");
  CHECK(response.status == 500);
  CHECK(Body(response)["type"] == "urn:ietf:params:acme:error:serverInternal");
  CHECK(f.sink.str().find("boom") != std::string::npos);
}

}  // namespace

}  // namespace router_test
