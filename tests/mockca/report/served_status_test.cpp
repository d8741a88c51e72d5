// ServedStatuses: the statuses a 200/201 response body showed the client (the state history of
// conformance.md §0).

#include "mockca/report/served_status.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace served_status_test {

namespace {

using mockca::report::Exchange;
using mockca::report::ServedObjects;
using mockca::report::ServedStatuses;

constexpr char kOrigin[] = "https://ca.test:14000";

Exchange Answered(std::string kind, int status = 200) {
  Exchange exchange;
  exchange.kind = std::move(kind);
  exchange.status = status;
  exchange.url = std::string(kOrigin) + "/obj/1";
  return exchange;
}

// "object url -> status" for each entry, in order.
std::vector<std::string> Lines(const ServedObjects& served) {
  std::vector<std::string> lines;
  for (const auto& change : served.statuses) {
    lines.push_back(change.object + " " + change.url + " -> " + change.to);
  }
  return lines;
}

}  // namespace

TEST_CASE("ServedStatuses reads an order's status and finalize URL", "[report][served]") {
  const ServedObjects served =
      ServedStatuses(Answered("order"),
                     R"({"status":"ready","finalize":"https://f/1","identifiers":[]})", kOrigin);
  CHECK(Lines(served) == std::vector<std::string>{"order https://ca.test:14000/obj/1 -> ready"});
  CHECK(served.finalize_url == "https://f/1");
}

TEST_CASE("ServedStatuses files newOrder and newAccount under their Location", "[report][served]") {
  Exchange exchange = Answered("newOrder", 201);
  exchange.response_headers = {{"Location", "/my-order/7"}};
  CHECK(Lines(ServedStatuses(exchange, R"({"status":"pending"})", kOrigin)) ==
        std::vector<std::string>{"order https://ca.test:14000/my-order/7 -> pending"});
}

TEST_CASE("ServedStatuses reads an authorization and each challenge directly in it",
          "[report][served]") {
  const char* body = R"({"status":"pending","identifier":{"type":"dns","value":"a.test",
    "status":"not-this-one"},"challenges":[
      {"type":"http-01","url":"https://c/1","status":"pending"},
      {"type":"dns-01","url":"https://c/2","status":"invalid",
       "error":{"type":"urn:ietf:params:acme:error:dns","status":400,"url":"https://x"}},
      "not an object",
      {"type":"tls-alpn-01","url":"https://c/3"},
      {"url":"https://c/4","status":5}]})";
  CHECK(Lines(ServedStatuses(Answered("authz"), body, kOrigin)) ==
        std::vector<std::string>{"authz https://ca.test:14000/obj/1 -> pending",
                                 "challenge https://c/1 -> pending",
                                 "challenge https://c/2 -> invalid"});
}

TEST_CASE("ServedStatuses takes a repeated member's last value, as a parsed tree does",
          "[report][served]") {
  CHECK(Lines(ServedStatuses(Answered("account"), R"({"status":"valid","status":"deactivated"})",
                             kOrigin)) ==
        std::vector<std::string>{"account https://ca.test:14000/obj/1 -> deactivated"});
  // The last "status" is no string: no status at all.
  CHECK(ServedStatuses(Answered("account"), R"({"status":"valid","status":{"a":"b"}})", kOrigin)
            .statuses.empty());
  // A later "challenges" replaces the earlier one, whatever it is.
  CHECK(Lines(ServedStatuses(
            Answered("authz"),
            R"({"status":"valid","challenges":[{"url":"u1","status":"valid"}],"challenges":7})",
            kOrigin)) == std::vector<std::string>{"authz https://ca.test:14000/obj/1 -> valid"});
  CHECK(Lines(ServedStatuses(Answered("authz"),
                             R"({"challenges":[{"url":"u1","status":"valid"}],"status":"valid",
                                 "challenges":[{"url":"u2","status":"invalid","url":"u3"}]})",
                             kOrigin)) ==
        std::vector<std::string>{"authz https://ca.test:14000/obj/1 -> valid",
                                 "challenge u3 -> invalid"});
}

TEST_CASE("ServedStatuses reads nothing from what is no successful object answer",
          "[report][served]") {
  CHECK(ServedStatuses(Answered("order", 400), R"({"status":"ready"})", kOrigin).statuses.empty());
  CHECK(ServedStatuses(Answered("directory"), R"({"status":"ready"})", kOrigin).statuses.empty());
  for (const char* body :
       {"", "not json", R"(["status","ready"])", R"("ready")", R"({"status":"ready"} trailing)",
        R"({"status":"ready")", R"({"order":{"status":"ready"}})", R"({"status":""})"}) {
    INFO(body);
    CHECK(ServedStatuses(Answered("order"), body, kOrigin).statuses.empty());
  }
}

}  // namespace served_status_test
