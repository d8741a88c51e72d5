// Client rules B.7 (C-ORD): identifiers, following the order status, polling after finalize.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace order_rules_test {

namespace {

using namespace record_test;

constexpr char kFinalizeUrl[] = "https://ca.test/finalize-order/1";

nlohmann::json Order(const std::vector<std::string>& names) {
  nlohmann::json identifiers = nlohmann::json::array();
  for (const std::string& name : names) {
    identifiers.push_back({{"type", "dns"}, {"value", name}});
  }
  return {{"identifiers", identifiers}};
}

nlohmann::json OrderObject(const std::string& status) {
  return {{"status", status}, {"finalize", kFinalizeUrl}};
}

TEST_CASE("C-ORD-01 fails a trailing dot, a misplaced '*' and a U-label", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("newOrder", "/order-plz", Order({"example.org."}));
  builder.Post("newOrder", "/order-plz", Order({"a.*.example.org", "*example.org"}));
  builder.Post("newOrder", "/order-plz",
               Order({"b\xC3\xBC"
                      "cher.example"}));
  const Finding finding = JudgeOne(builder.Build(), "C-ORD-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2, 3});
  CHECK_THAT(finding.summary, Catch::Contains("trailing dot") && Catch::Contains("3 more"));
}

TEST_CASE("C-ORD-01 fails no identifiers and a notAfter that is not RFC 3339", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("newOrder", "/order-plz", {{"identifier", "example.org"}});
  nlohmann::json order = Order({"example.org"});
  order["notAfter"] = "next week";
  builder.Post("newOrder", "/order-plz", order);
  const Finding finding = JudgeOne(builder.Build(), "C-ORD-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("C-ORD-01 notes uppercase names (BP)", "[report][rules]") {
  RecordBuilder builder;
  builder.Post("newOrder", "/order-plz", Order({"WWW.Example.org"}));
  const Finding finding = JudgeOne(builder.Build(), "C-ORD-01");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK_THAT(finding.summary, Catch::Contains("uppercase"));
}

TEST_CASE("C-ORD-01 passes certificate-form names and a wildcard, is not tested without newOrder",
          "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  nlohmann::json order = Order({"*.example.org", "xn--bcher-kva.example"});
  order["notBefore"] = "2027-01-01T00:00:00Z";
  builder.Post("newOrder", "/order-plz", order);
  CHECK(JudgeOne(builder.Build(), "C-ORD-01").verdict == Verdict::kPass);
  RecordBuilder none;
  none.Post("order", "/my-order/1");
  CHECK(JudgeOne(none.Build(), "C-ORD-01").verdict == Verdict::kNotTested);
}

TEST_CASE("C-ORD-03 warns on a challenge answered after its authz showed valid",
          "[report][rules]") {
  RecordBuilder builder = ConformingFlow();  // 7: the authz shows valid
  builder.Post("challenge", "/chalZ/1", nlohmann::json::object());
  const Finding finding = JudgeOne(builder.Build(), "C-ORD-03");
  CHECK(finding.verdict == Verdict::kWarn);
  CHECK(finding.evidence == std::vector<std::uint64_t>{7, 11});
}

TEST_CASE("C-ORD-03 warns on a finalize answered orderNotReady", "[report][rules]") {
  RecordBuilder builder;
  Respond(builder.Post("newOrder", "/order-plz", Order({"example.org"})), 201,
          OrderObject("pending"));
  Problem(builder.Post("finalize", "/finalize-order/1", {{"csr", "MAA"}}), 403, "orderNotReady");
  const Finding finding = JudgeOne(builder.Build(), "C-ORD-03");
  CHECK(finding.verdict == Verdict::kWarn);
  CHECK(finding.evidence == std::vector<std::uint64_t>{2});
}

TEST_CASE("C-ORD-03 passes an orderNotReady after the client saw the order ready",
          "[report][rules]") {
  RecordBuilder builder;
  Respond(builder.Post("order", "/my-order/1"), 200, OrderObject("ready"));
  Problem(builder.Post("finalize", "/finalize-order/1", {{"csr", "MAA"}}), 403, "orderNotReady");
  CHECK(JudgeOne(builder.Build(), "C-ORD-03").verdict == Verdict::kPass);
}

TEST_CASE("C-ORD-03 passes the conforming flow, is not tested without answers or finalize",
          "[report][rules]") {
  const Finding finding = JudgeOne(ConformingFlow().Build(), "C-ORD-03");
  CHECK(finding.verdict == Verdict::kPass);
  CHECK(finding.evidence == std::vector<std::uint64_t>{6, 8});
  RecordBuilder none;
  none.Post("order", "/my-order/1");
  CHECK(JudgeOne(none.Build(), "C-ORD-03").verdict == Verdict::kNotTested);
}

TEST_CASE("C-ORD-07 notes an order poll before Retry-After", "[report][rules]") {
  RecordBuilder builder;
  Exchange& finalize = builder.Post("finalize", "/finalize-order/1", {{"csr", "MAA"}});
  Respond(finalize, 200, OrderObject("processing"));
  finalize.response_headers.emplace_back("Location", "https://ca.test/my-order/1");
  finalize.response_headers.emplace_back("Retry-After", "3");
  Respond(builder.Post("order", "/my-order/1"), 200, OrderObject("valid"));  // 1 s later
  const Finding finding = JudgeOne(builder.Build(), "C-ORD-07");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
  CHECK_THAT(finding.summary, Catch::Contains("Retry-After: 3") && Catch::Contains("2.0s early"));
}

TEST_CASE("C-ORD-07 notes a second finalize after processing", "[report][rules]") {
  RecordBuilder builder;
  Respond(builder.Post("finalize", "/finalize-order/1", {{"csr", "MAA"}}), 200,
          OrderObject("processing"));
  builder.Post("finalize", "/finalize-order/1", {{"csr", "MAA"}});
  const Finding finding = JudgeOne(builder.Build(), "C-ORD-07");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("C-ORD-07 passes polls after Retry-After, is not tested without processing",
          "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-ORD-07").verdict == Verdict::kPass);
  RecordBuilder none;
  Respond(none.Post("newOrder", "/order-plz", Order({"example.org"})), 201, OrderObject("pending"));
  CHECK(JudgeOne(none.Build(), "C-ORD-07").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace order_rules_test
