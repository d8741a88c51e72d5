#include "mockca/report/report_html.hpp"

#include <chrono>
#include <cstddef>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/json.hpp"
#include "mockca/report/report_json.hpp"
#include "mockca/report/rule.hpp"

namespace mockca::report::report_html_test {
namespace {

using json = nlohmann::json;

const TimePoint kT0{std::chrono::seconds{1795440991}};  // 2026-11-23T13:36:31Z
const std::string kScript = "<script>alert(1)</script>";
const std::string kAttribute = "\"><img src=x onerror=alert(1)>";

// A client with n exchanges, ids 1..n, one second apart; exchange 2 hit fault "nonce-1".
ClientRecord ClientWith(std::size_t n, std::string user_agent = "lego/4.14") {
  ClientRecord client;
  client.id = "https://ca.test/acct/7";
  client.account_url = client.id;
  client.user_agent = std::move(user_agent);
  for (std::size_t i = 1; i <= n; ++i) {
    Exchange exchange;
    exchange.id = i;
    exchange.received = kT0 + std::chrono::seconds{i};
    exchange.method = "POST";
    exchange.kind = "newOrder";
    exchange.url = "https://ca.test/order-plz";
    exchange.status = i == 2 ? 400 : 201;
    if (i == 2) {
      exchange.problem_type = "urn:ietf:params:acme:error:badNonce";
      exchange.fault_rules = {"nonce-1"};
    }
    client.exchanges.push_back(exchange);
  }
  return client;
}

Rule FixedRule(std::string id, Verdict verdict, std::vector<std::uint64_t> evidence,
               std::string summary = "summary") {
  return Rule{id, "MUST", "requirement", [=](const ClientRecord&) {
                return Finding{id, verdict, "MUST", summary, evidence};
              }};
}

std::string Html(const std::vector<ClientRecord>& clients, const std::vector<Rule>& rules = {},
                 const json& faults = json::object()) {
  return ReportHtml(ReportJson(clients, faults, kT0, rules));
}

std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST_CASE("ReportHtml is one page with a header, a summary, findings and an svg",
          "[report][html]") {
  const std::string html =
      Html({ClientWith(3)}, {FixedRule("C-NONCE-02", Verdict::kFail, {2})},
           json{{"faults", {{{"id", "nonce-1"}, {"fault", "badNonce"}, {"where", {"newOrder"}}}}},
                {"seed", 42}});
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.ends_with("</html>\n"));
  CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
  CHECK(html.find("Generated 2026-11-23T13:36:31Z") != std::string::npos);
  CHECK(html.find("<code>nonce-1</code> badNonce @ newOrder") != std::string::npos);
  CHECK(html.find("seed <code>42</code>") != std::string::npos);
  CHECK(html.find("<span class=\"badge v-fail\">FAIL 1</span>") != std::string::npos);
  CHECK(html.find("<span class=\"badge v-pass zero\">PASS 0</span>") != std::string::npos);
  CHECK(html.find("<code>C-NONCE-02</code>") != std::string::npos);
  CHECK(Count(html, "<svg") == 1);
  CHECK(html.find(">POST newOrder</text>") != std::string::npos);
  CHECK(html.find(">400 badNonce</text>") != std::string::npos);
  CHECK(html.find(">201</text>") != std::string::npos);
  CHECK(html.find("\xE2\x9A\xA1 nonce-1</text>") != std::string::npos);  // the red ⚡
  CHECK(html.find("<details><summary>") != std::string::npos);           // NOT-TESTED folded
}

TEST_CASE("ReportHtml draws VA probes and below-router faults among the exchanges in time order",
          "[report][html]") {
  ClientRecord client = ClientWith(3);
  client.probes.push_back(ProbeRecord{kT0 + std::chrono::milliseconds{2500},
                                      std::chrono::microseconds{900}, "http-01", "a.test", "tok",
                                      "http://a.test:5002/.well-known/acme-challenge/tok", false,
                                      "urn:ietf:params:acme:error:unauthorized", kScript});
  client.fault_events.push_back(FaultEvent{kT0 + std::chrono::milliseconds{1500}, "slow",
                                           "stuckProcessing", "order", "POST /my-order/o1"});
  client.states.push_back(
      StatusChange{3, kT0 + std::chrono::seconds{3}, "order", "https://ca.test/o/1", "", "ready"});
  const std::string html = Html({client});

  const std::size_t first = html.find("id=\"c0-x1\"");
  const std::size_t fault = html.find("slow stuckProcessing");
  const std::size_t second = html.find("id=\"c0-x2\"");
  const std::size_t probe = html.find("VA http-01 a.test \xE2\x86\x92 unauthorized");
  const std::size_t third = html.find("id=\"c0-x3\"");
  REQUIRE(first != std::string::npos);
  REQUIRE(fault != std::string::npos);
  REQUIRE(probe != std::string::npos);
  CHECK(first < fault);
  CHECK(fault < second);
  CHECK(second < probe);
  CHECK(probe < third);
  CHECK(html.find(kScript) == std::string::npos);  // the probe's detail is escaped
  CHECK_THAT(html, Catch::Contains("State history: 1 status changes served"));
  CHECK_THAT(html, Catch::Contains("(first seen) \xE2\x86\x92 ready"));
}

TEST_CASE("ReportHtml says when no fault is active and no client was seen", "[report][html]") {
  const std::string html = Html({});
  CHECK(html.find("Faults active: none") != std::string::npos);
  CHECK(html.find("No client traffic recorded.") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
}

TEST_CASE("ReportHtml escapes every text taken from the records", "[report][html]") {
  ClientRecord client = ClientWith(2, kScript);
  client.id = kAttribute;
  client.account_url = kScript;
  client.exchanges[0].kind = "";
  client.exchanges[0].url = "https://ca.test/" + kScript;
  client.exchanges[1].problem_type = kScript;
  client.exchanges[1].fault_rules = {kAttribute};
  const std::string html = Html({client}, {FixedRule("C-HTTP-01", Verdict::kFail, {1}, kScript)},
                                json{{"faults", {{{"id", kScript}, {"fault", kAttribute}}}}});
  CHECK(html.find(kScript) == std::string::npos);
  CHECK(html.find(kAttribute) == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("User-Agent: <code>&lt;script&gt;alert(1)&lt;/script&gt;</code>") !=
        std::string::npos);
  CHECK(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
}

TEST_CASE("ReportHtml gives each exchange one anchor, and evidence links to it", "[report][html]") {
  const std::string html = Html({ClientWith(5)}, {FixedRule("C-NONCE-02", Verdict::kFail, {2, 4})});
  CHECK(Count(html, "id=\"c0-x") == 5);
  for (int id = 1; id <= 5; ++id) {
    CHECK(Count(html, "id=\"c0-x" + std::to_string(id) + "\"") == 1);
  }
  CHECK(html.find("<a href=\"#c0-x2\"") != std::string::npos);
  CHECK(html.find("<a href=\"#c0-x4\"") != std::string::npos);
}

TEST_CASE("ReportHtml references no external resource and needs no script", "[report][html]") {
  const std::string html = Html({ClientWith(3, "https://evil.test/x.js")},
                                {FixedRule("C-NONCE-02", Verdict::kFail, {2})});
  const std::regex external(R"((src|href|action|xlink:href)\s*=\s*["']?\s*(https?:)?//)",
                            std::regex::icase);
  CHECK_FALSE(std::regex_search(html, external));
  const std::regex any_href(R"(href\s*=\s*"([^"]*)\")");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), any_href);
       it != std::sregex_iterator(); ++it) {
    CHECK((*it)[1].str().starts_with("#"));
  }
  CHECK(html.find("url(http") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
}

TEST_CASE("ReportHtml draws only the last 500 exchanges and says so", "[report][html]") {
  const std::string html =
      Html({ClientWith(620)}, {FixedRule("C-NONCE-02", Verdict::kFail, {2, 600})});
  CHECK(Count(html, "id=\"c0-x") == kDiagramCap);
  CHECK(html.find("id=\"c0-x120\"") == std::string::npos);
  CHECK(html.find("id=\"c0-x121\"") != std::string::npos);
  CHECK(html.find("id=\"c0-x620\"") != std::string::npos);
  CHECK(html.find("the last 500 of 620 recorded exchanges") != std::string::npos);
  CHECK(html.find("<a href=\"#c0-x600\"") != std::string::npos);
  CHECK(html.find("href=\"#c0-x2\"") == std::string::npos);  // not drawn: no dead link
  CHECK(html.find(">#2</span>") != std::string::npos);
}

TEST_CASE("ReportHtml keeps anchors of several clients apart", "[report][html]") {
  ClientRecord other = ClientWith(2);
  other.id = "anonymous:curl";
  const std::string html = Html({ClientWith(2), other});
  CHECK(Count(html, "<svg") == 2);
  CHECK(Count(html, "id=\"c0-x") == 2);
  CHECK(Count(html, "id=\"c1-x") == 2);
}

TEST_CASE("ReportHtml renders any JSON without throwing", "[report][html]") {
  for (const json& report : {json(), json("text"), json::array({1, 2}), json{{"clients", "nope"}},
                             json{{"clients",
                                   {{{"timeline", {{{"id", -3}, {"status", "x"}}}},
                                     {"findings", {{{"verdict", "<b>"}}}}}}}}}) {
    std::string html;
    REQUIRE_NOTHROW(html = ReportHtml(report));
    CHECK(html.starts_with("<!DOCTYPE html>"));
    CHECK(html.find("<b>") == std::string::npos);
  }
}

TEST_CASE("HtmlEscape escapes markup, quotes, control characters and bad UTF-8", "[report][html]") {
  CHECK(HtmlEscape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  CHECK(HtmlEscape("tab\tnl\n") == "tab\tnl\n");
  CHECK(HtmlEscape(std::string("nul\0!", 5)) == "nul\xEF\xBF\xBD!");
  CHECK(HtmlEscape("\x1b[31m") == "\xEF\xBF\xBD[31m");
  CHECK(HtmlEscape("\xff") == "\xEF\xBF\xBD");
  CHECK(HtmlEscape("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("ExchangeAnchor names the client and the exchange", "[report][html]") {
  CHECK(ExchangeAnchor(0, 12) == "c0-x12");
  CHECK(ExchangeAnchor(3, 7) == "c3-x7");
}

}  // namespace
}  // namespace mockca::report::report_html_test
