#include "mockca/report/report_routes.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/clock.hpp"
#include "common/json.hpp"

namespace mockca::report::report_routes_test {
namespace {

using json = nlohmann::json;

const TimePoint kT0{std::chrono::seconds{1795440991}};  // 2026-11-23T13:36:31Z

ClientRecord Client(std::string id, std::string account_url) {
  ClientRecord client;
  client.id = std::move(id);
  client.account_url = std::move(account_url);
  client.user_agent = "lego/4.14";
  Exchange exchange;
  exchange.id = 1;
  exchange.received = kT0;
  exchange.method = "GET";
  exchange.url = "https://ca.test/dir";
  exchange.kind = "directory";
  exchange.status = 200;
  client.exchanges.push_back(exchange);
  return client;
}

// The report handler over two clients: an account and an anonymous one.
struct ReportFixture {
  common::FakeClock clock{kT0};
  int resets = 0;
  ReportSources sources{[] {
                          return std::vector<ClientRecord>{
                              Client("https://ca.test/acct/7", "https://ca.test/acct/7"),
                              Client("anonymous:curl/8 (x)", "")};
                        },
                        [this] { ++resets; },
                        [] {
                          return json{{"faults", json::array()}, {"seed", 7}};
                        },
                        &clock};

  http::Response Serve(std::string method, std::string target) {
    http::Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.host = "localhost:15000";
    return HandleReportRequest(request, sources);
  }
};

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

json BodyJson(const http::Response& response) {
  return json::parse(response.body);
}

TEST_CASE("GET /conformance-report answers the JSON report of every client", "[report][routes]") {
  ReportFixture fixture;
  fixture.clock.Advance(std::chrono::seconds{60});
  const http::Response response = fixture.Serve("GET", "/conformance-report");
  REQUIRE(response.status == 200);
  CHECK(HeaderOf(response, "Content-Type") == "application/json; charset=utf-8");
  CHECK(HeaderOf(response, "Cache-Control") == "no-store");
  const json report = BodyJson(response);
  CHECK(report["generated"] == "2026-11-23T13:37:31Z");
  CHECK(report["faults"]["seed"] == 7);
  REQUIRE(report["clients"].size() == 2);
  CHECK(report["clients"][0]["id"] == "https://ca.test/acct/7");
  CHECK(report["clients"][0]["findings"].size() > 0);
}

TEST_CASE("The account parameter selects one client by account URL or id", "[report][routes]") {
  ReportFixture fixture;
  struct Case {
    std::string target, id;
  };
  const std::vector<Case> cases = {
      {"/conformance-report?account=https%3A%2F%2Fca.test%2Facct%2F7", "https://ca.test/acct/7"},
      {"/conformance-report?account=https://ca.test/acct/7", "https://ca.test/acct/7"},
      {"/conformance-report?x=1&account=anonymous%3Acurl%2F8%20(x)", "anonymous:curl/8 (x)"},
      {"/conformance-report?account=anonymous:curl/8+(x)&account=other", "anonymous:curl/8 (x)"},
  };
  for (const Case& c : cases) {
    const http::Response response = fixture.Serve("GET", c.target);
    REQUIRE(response.status == 200);
    const json report = BodyJson(response);
    REQUIRE(report["clients"].size() == 1);
    CHECK(report["clients"][0]["id"] == c.id);
  }
}

TEST_CASE("An unknown or malformed account parameter is an error", "[report][routes]") {
  ReportFixture fixture;
  const http::Response unknown =
      fixture.Serve("GET", "/conformance-report?account=https%3A%2F%2Fca.test%2Facct%2F8");
  CHECK(unknown.status == 404);
  CHECK(HeaderOf(unknown, "Content-Type") == "application/json; charset=utf-8");
  CHECK(BodyJson(unknown)["error"].get<std::string>().find("https://ca.test/acct/8") !=
        std::string::npos);
  CHECK(fixture.Serve("GET", "/conformance-report.html?account=nobody").status == 404);
  CHECK(fixture.Serve("GET", "/conformance-report?account=%zz").status == 400);
  CHECK(fixture.Serve("GET", "/conformance-report?account=%4").status == 400);
  CHECK(fixture.Serve("GET", "/conformance-report?account=").status == 400);
}

TEST_CASE("GET /conformance-report.html answers the page", "[report][routes]") {
  ReportFixture fixture;
  const http::Response all = fixture.Serve("GET", "/conformance-report.html");
  REQUIRE(all.status == 200);
  CHECK(HeaderOf(all, "Content-Type") == "text/html; charset=utf-8");
  CHECK(HeaderOf(all, "Cache-Control") == "no-store");
  CHECK(all.body.starts_with("<!DOCTYPE html>"));
  CHECK(all.body.find("<section class=\"client\" id=\"c1\"") != std::string::npos);

  const http::Response one =
      fixture.Serve("GET", "/conformance-report.html?account=https%3A%2F%2Fca.test%2Facct%2F7");
  REQUIRE(one.status == 200);
  CHECK(one.body.find("<section class=\"client\" id=\"c0\"") != std::string::npos);
  CHECK(one.body.find("<section class=\"client\" id=\"c1\"") == std::string::npos);
}

TEST_CASE("POST /conformance-report/reset calls the reset function", "[report][routes]") {
  ReportFixture fixture;
  const http::Response response = fixture.Serve("POST", "/conformance-report/reset");
  CHECK(response.status == 200);
  CHECK(BodyJson(response) == json{{"reset", true}});
  CHECK(fixture.resets == 1);
}

TEST_CASE("A method a report route does not serve is 405 with Allow", "[report][routes]") {
  ReportFixture fixture;
  struct Case {
    std::string method, target, allow;
  };
  const std::vector<Case> cases = {
      {"POST", "/conformance-report", "GET"},
      {"DELETE", "/conformance-report.html", "GET"},
      {"GET", "/conformance-report/reset", "POST"},
  };
  for (const Case& c : cases) {
    const http::Response response = fixture.Serve(c.method, c.target);
    CHECK(response.status == 405);
    CHECK(HeaderOf(response, "Allow") == c.allow);
    CHECK(BodyJson(response).contains("error"));
  }
  CHECK(fixture.resets == 0);
}

TEST_CASE("IsReportPath takes the report paths only, other paths under it are 404",
          "[report][routes]") {
  CHECK(IsReportPath("/conformance-report"));
  CHECK(IsReportPath("/conformance-report.html"));
  CHECK(IsReportPath("/conformance-report/reset"));
  CHECK(IsReportPath("/conformance-report/other"));
  CHECK_FALSE(IsReportPath("/conformance-reports"));
  CHECK_FALSE(IsReportPath("/conformance-report.json"));
  CHECK_FALSE(IsReportPath("/faults"));
  ReportFixture fixture;
  CHECK(fixture.Serve("GET", "/conformance-report/other").status == 404);
}

}  // namespace
}  // namespace mockca::report::report_routes_test
