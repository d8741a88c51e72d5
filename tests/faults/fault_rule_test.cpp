#include "faults/fault_rule.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "common/json.hpp"

namespace fault_rule_test {

namespace {

using faults::FaultKind;
using faults::ParseFaultRule;
using faults::Stage;

common::Result<faults::FaultRule, std::string> Parse(const char* text) {
  return ParseFaultRule(nlohmann::json::parse(text));
}

// The error of a rule that must be refused.
std::string ErrorOf(const char* text) {
  const auto rule = Parse(text);
  REQUIRE_FALSE(rule.ok());
  return rule.error();
}

struct KindCase {
  const char* json;
  FaultKind kind;
  Stage stage;
};

// One valid rule of every kind, with its parameters.
const KindCase kEveryKind[] = {
    {R"({"fault":"error","where":"newOrder","status":503,"retryAfter":5})", FaultKind::kError,
     Stage::kRequest},
    {R"({"fault":"empty200","where":"order"})", FaultKind::kEmpty200, Stage::kRequest},
    {R"({"fault":"htmlError"})", FaultKind::kHtmlError, Stage::kRequest},
    {R"({"fault":"delay","delayMs":200})", FaultKind::kDelay, Stage::kRequest},
    {R"({"fault":"drop","where":"finalize"})", FaultKind::kDrop, Stage::kRequest},
    {R"({"fault":"dropAfter","where":"newAccount"})", FaultKind::kDropAfter, Stage::kRequest},
    {R"({"fault":"reset","where":"certificate"})", FaultKind::kReset, Stage::kRequest},
    {R"({"fault":"contentType","value":"text/html"})", FaultKind::kContentType, Stage::kResponse},
    {R"({"fault":"truncateBody","where":"directory"})", FaultKind::kTruncateBody, Stage::kResponse},
    {R"({"fault":"invalidJson","where":"renewalInfo"})", FaultKind::kInvalidJson, Stage::kResponse},
    {R"({"fault":"extraFields","where":"directory"})", FaultKind::kExtraFields, Stage::kResponse},
    {R"({"fault":"omitHeader","header":"Replay-Nonce"})", FaultKind::kOmitHeader, Stage::kResponse},
    {R"({"fault":"badNonce","when":{"probability":0.3}})", FaultKind::kBadNonce, Stage::kNonce},
    {R"({"fault":"nonceExpiry","seconds":30})", FaultKind::kNonceExpiry, Stage::kNonce},
    {R"({"fault":"invalidNonce","where":"newNonce"})", FaultKind::kInvalidNonce, Stage::kNonce},
    {R"({"fault":"failValidation","where":"dns-01","type":"dns"})", FaultKind::kFailValidation,
     Stage::kValidation},
    {R"({"fault":"stuckProcessing","where":"order","polls":3})", FaultKind::kStuckProcessing,
     Stage::kState},
    {R"({"fault":"setAuthzStatus","where":"authz","authzStatus":"expired"})",
     FaultKind::kSetAuthzStatus, Stage::kState},
    {R"({"fault":"failIssuance","where":"finalize"})", FaultKind::kFailIssuance, Stage::kIssuance},
    {R"({"fault":"alternateChain","chain":0})", FaultKind::kAlternateChain, Stage::kIssuance},
    {R"({"fault":"reorderChain","where":"certificate"})", FaultKind::kReorderChain,
     Stage::kIssuance},
    {R"({"fault":"servfail","where":"dns"})", FaultKind::kDnsServfail, Stage::kDns},
    {R"({"fault":"nxdomain","when":{"dnsName":"a.test."}})", FaultKind::kDnsNxdomain, Stage::kDns},
    {R"({"fault":"refused","where":[]})", FaultKind::kDnsRefused, Stage::kDns},
    {R"({"fault":"timeout","when":{"dnsType":"TXT"}})", FaultKind::kDnsTimeout, Stage::kDns},
    {R"({"fault":"truncate"})", FaultKind::kDnsTruncate, Stage::kDns},
    {R"({"fault":"wrongAnswer","value":"192.0.2.1"})", FaultKind::kDnsWrong, Stage::kDns},
    {R"({"fault":"dnsDelay","delayMs":0})", FaultKind::kDnsDelay, Stage::kDns},
};

TEST_CASE("ParseFaultRule accepts every fault kind and ToJson round-trips it", "[faults][rule]") {
  for (const KindCase& c : kEveryKind) {
    DYNAMIC_SECTION(c.json) {
      const auto rule = Parse(c.json);
      REQUIRE(rule.ok());
      CHECK(rule->what.kind == c.kind);
      CHECK(faults::StageOf(c.kind) == c.stage);
      const nlohmann::json canonical = faults::ToJson(rule.value());
      CHECK(canonical["fault"] == faults::NameOf(c.kind));
      CHECK(canonical["where"].is_array());
      const auto again = ParseFaultRule(canonical);
      REQUIRE(again.ok());
      CHECK(faults::ToJson(again.value()) == canonical);
    }
  }
}

TEST_CASE("F-503: an error rule keeps status, type, Retry-After and where", "[faults][rule]") {
  const auto rule = Parse(R"({"id":"busy","where":["newOrder","finalize"],"fault":"error",
      "status":503,"type":"serverInternal","detail":"try later","retryAfter":5,
      "retryAfterFormat":"http-date","omitNonce":true,"times":1})");
  REQUIRE(rule.ok());
  CHECK(rule->id == "busy");
  CHECK(rule->where == std::vector<std::string>{"newOrder", "finalize"});
  CHECK(rule->what.status == 503);
  CHECK(rule->what.problem_type == "urn:ietf:params:acme:error:serverInternal");
  CHECK(rule->what.detail == "try later");
  CHECK(rule->what.retry_after == 5);
  CHECK(rule->what.retry_after_http_date);
  CHECK(rule->what.omit_nonce);
  CHECK(rule->times == 1u);
  const nlohmann::json json = faults::ToJson(rule.value());
  CHECK(json["retryAfterFormat"] == "http-date");
  CHECK(json["times"] == 1);
  CHECK(json["id"] == "busy");
}

TEST_CASE("Defaults: error is 500 serverInternal, htmlError 502, where is [\"*\"]",
          "[faults][rule]") {
  const auto error = Parse(R"({"fault":"error"})");
  REQUIRE(error.ok());
  CHECK(error->what.status == 500);
  CHECK(error->what.problem_type == "urn:ietf:params:acme:error:serverInternal");
  CHECK(error->where == std::vector<std::string>{"*"});
  CHECK_FALSE(error->what.retry_after);
  const nlohmann::json json = faults::ToJson(error.value());
  CHECK(json["where"] == nlohmann::json::array({"*"}));
  CHECK_FALSE(json.contains("retryAfter"));
  CHECK_FALSE(json.contains("when"));
  CHECK_FALSE(json.contains("id"));
  // F-HTML-5XX
  const auto html = Parse(R"({"fault":"htmlError"})");
  REQUIRE(html.ok());
  CHECK(html->what.status == 502);
  CHECK(faults::ToJson(html.value()) ==
        nlohmann::json::parse(R"({"fault":"htmlError","where":["*"],"status":502})"));
}

TEST_CASE("F-429 and F-ERR-UNKNOWN-TYPE: problem types short, full or any absolute URI",
          "[faults][rule]") {
  CHECK(Parse(R"({"fault":"error","status":429,"type":"rateLimited"})")->what.problem_type ==
        "urn:ietf:params:acme:error:rateLimited");
  CHECK(Parse(R"({"fault":"error","type":"urn:ietf:params:acme:error:badNonce"})")
            ->what.problem_type == "urn:ietf:params:acme:error:badNonce");
  CHECK(
      Parse(R"({"fault":"error","type":"https://example.com/problems/odd"})")->what.problem_type ==
      "https://example.com/problems/odd");
  CHECK(Parse(R"({"fault":"failValidation"})")->what.problem_type ==
        "urn:ietf:params:acme:error:incorrectResponse");
  CHECK(ErrorOf(R"({"fault":"error","type":"notAType"})").starts_with("type: "));
  CHECK(ErrorOf(R"({"fault":"error","type":"urn:ietf:params:acme:error:nope"})")
            .starts_with("type: unknown ACME error type"));
  CHECK(ErrorOf(R"({"fault":"error","type":"has space:x"})").starts_with("type: "));
}

TEST_CASE("The when conditions parse and round-trip", "[faults][rule]") {
  const auto rule = Parse(R"({"fault":"error","when":{"nth":2,"every":3,"first":4,
      "probability":0.25,"account":"acct/7","identifier":"a.example","method":"POST"}})");
  REQUIRE(rule.ok());
  CHECK(rule->when.nth == 2u);
  CHECK(rule->when.every == 3u);
  CHECK(rule->when.first == 4u);
  CHECK(rule->when.probability == 0.25);
  CHECK(rule->when.account == "acct/7");
  CHECK(rule->when.identifier == "a.example");
  CHECK(rule->when.method == "POST");
  const nlohmann::json json = faults::ToJson(rule.value());
  CHECK(json["when"].size() == 7);
  CHECK(faults::ToJson(ParseFaultRule(json).value()) == json);
}

struct ErrorCase {
  const char* json;
  const char* error_prefix;  // the member the error must name first
};

const ErrorCase kErrors[] = {
    {R"([])", "a fault rule must be a JSON object"},
    {R"({})", "fault: required member is missing"},
    {R"({"fault":7})", "fault: must be a string"},
    {R"({"fault":"explode"})", "fault: unknown fault \"explode\""},
    {R"({"fault":"error","colour":"red"})", "colour: unknown member"},
    {R"({"fault":"delay","delayMs":1,"status":500})", "status: not a parameter of fault \"delay\""},
    {R"({"fault":"error","status":99})", "status: must be an integer in 100..599"},
    {R"({"fault":"error","status":600})", "status: must be an integer in 100..599"},
    {R"({"fault":"error","status":"503"})", "status: must be an integer"},
    {R"({"fault":"error","status":503.0})", "status: must be an integer"},
    {R"({"fault":"error","retryAfter":-1})", "retryAfter: must be an integer in 0..1000000000"},
    {R"({"fault":"error","retryAfter":1000000001})", "retryAfter: must be an integer"},
    {R"({"fault":"error","retryAfter":1,"retryAfterFormat":"minutes"})", "retryAfterFormat: "},
    {R"({"fault":"error","retryAfterFormat":"seconds"})", "retryAfterFormat: needs retryAfter"},
    {R"({"fault":"error","omitNonce":1})", "omitNonce: must be true or false"},
    {R"({"fault":"error","detail":5})", "detail: must be a string"},
    {R"({"fault":"error","when":[]})", "when: must be an object"},
    {R"({"fault":"error","when":{"nth":0}})", "when.nth: must be an integer in 1.."},
    {R"({"fault":"error","when":{"every":0}})", "when.every: "},
    {R"({"fault":"error","when":{"first":-3}})", "when.first: "},
    {R"({"fault":"error","when":{"nth":18446744073709551615}})", "when.nth: "},
    {R"({"fault":"error","when":{"probability":1.5}})", "when.probability: must be a number in"},
    {R"({"fault":"error","when":{"probability":-0.1}})", "when.probability: "},
    {R"({"fault":"error","when":{"probability":"0.5"}})", "when.probability: "},
    {R"({"fault":"error","when":{"account":""}})", "when.account: must be a non-empty string"},
    {R"({"fault":"error","when":{"identifier":3}})", "when.identifier: "},
    {R"({"fault":"error","when":{"method":null}})", "when.method: "},
    {R"({"fault":"error","when":{"dnsName":"a.test"}})",
     "when.dnsName: applies to DNS faults only"},
    {R"({"fault":"servfail","when":{"dnsType":""}})", "when.dnsType: "},
    {R"({"fault":"servfail","when":{"colour":1}})", "when.colour: unknown member"},
    {R"({"fault":"error","times":0})", "times: must be an integer in 1.."},
    {R"({"fault":"error","times":1.5})", "times: "},
    {R"({"fault":"error","id":""})", "id: must be 1 to 64 characters"},
    {R"({"fault":"error","id":"a/b"})", "id: "},
    {R"({"fault":"error","id":7})", "id: must be a string"},
    {R"({"fault":"error","where":5})", "where: must be a string or an array of strings"},
    {R"({"fault":"error","where":["order",1]})", "where: must be a string or an array"},
    {R"({"fault":"error","where":"nowhere"})", "where: \"nowhere\" is not a place"},
    {R"({"fault":"error","where":"http-01"})", "where: \"http-01\""},
    {R"({"fault":"stuckProcessing","where":"newOrder"})", "where: \"newOrder\""},
    {R"({"fault":"failIssuance","where":"order"})", "where: \"order\""},
    {R"({"fault":"failValidation","where":"order"})", "where: \"order\""},
    {R"({"fault":"servfail","where":"newOrder"})", "where: \"newOrder\""},
    {R"({"fault":"delay"})", "delayMs: required member is missing"},
    {R"({"fault":"delay","delayMs":600001})", "delayMs: must be an integer in 0..600000"},
    {R"({"fault":"dnsDelay","delayMs":-1})", "delayMs: "},
    {R"({"fault":"contentType"})", "value: required member is missing"},
    {R"({"fault":"wrongAnswer","value":1})", "value: must be a string"},
    {R"({"fault":"omitHeader"})", "header: required member is missing"},
    {R"({"fault":"omitHeader","header":"Bad Header"})", "header: must be an HTTP header name"},
    {R"({"fault":"nonceExpiry"})", "seconds: required member is missing"},
    {R"({"fault":"nonceExpiry","seconds":0})", "seconds: must be an integer in 1.."},
    {R"({"fault":"stuckProcessing","polls":0})", "polls: must be an integer in 1.."},
    {R"({"fault":"setAuthzStatus"})", "authzStatus: required member is missing"},
    {R"({"fault":"setAuthzStatus","authzStatus":"valid"})", "authzStatus: must be one of"},
    {R"({"fault":"alternateChain","chain":-1})", "chain: must be an integer in 0.."},
    // User text in an error is escaped, so the error stays one line.
    {R"({"fault":"error","a\nb":1})", R"("a\nb": unknown member)"},
    {R"({"fault":"error","where":"x\ny"})", R"(where: "x\ny" is not a place)"},
    {R"({"fault":"x\ny"})", R"(fault: unknown fault "x\ny")"},
};

TEST_CASE("ParseFaultRule refuses bad rules with an error naming the member", "[faults][rule]") {
  for (const ErrorCase& c : kErrors) {
    DYNAMIC_SECTION(c.json) {
      const std::string error = ErrorOf(c.json);
      CHECK_THAT(error, Catch::StartsWith(c.error_prefix));
      CHECK(error.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("ParseFaultRules takes an array or {\"faults\": [...]} and names the bad index",
          "[faults][rule]") {
  const auto list = faults::ParseFaultRules(
      nlohmann::json::parse(R"([{"fault":"drop"},{"fault":"badNonce","where":"*"}])"));
  REQUIRE(list.ok());
  CHECK(list->size() == 2);
  const auto wrapped =
      faults::ParseFaultRules(nlohmann::json::parse(R"({"faults":[{"fault":"timeout"}]})"));
  REQUIRE(wrapped.ok());
  CHECK(wrapped->front().what.kind == FaultKind::kDnsTimeout);

  const auto bad = faults::ParseFaultRules(nlohmann::json::parse(
      R"({"faults":[{"fault":"drop"},{"fault":"drop"},{"fault":"error","when":{"nth":0}}]})"));
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error(), Catch::StartsWith("faults[2].when.nth: "));
  CHECK_FALSE(faults::ParseFaultRules(nlohmann::json::parse(R"({"rules":[]})")).ok());
  CHECK_FALSE(faults::ParseFaultRules(nlohmann::json::parse(R"({"faults":{}})")).ok());
  CHECK_FALSE(faults::ParseFaultRules(nlohmann::json::parse(R"("drop")")).ok());
}

}  // namespace

}  // namespace fault_rule_test
