// Client rules B.4 (C-JWS): JWS shape, header, key, URL, media type and payload fields.
#include <catch2/catch.hpp>

#include "mockca/report/rules/rule_groups.hpp"
#include "tests/mockca/report/record_builder.hpp"

namespace jws_rules_test {

namespace {

using namespace record_test;

const nlohmann::json kOrderPayload = {
    {"identifiers", {{{"type", "dns"}, {"value", "example.org"}}}}};

// A record whose only request is a kid-signed POST-as-GET (no jwk, no JSON payload).
ClientRecord OnlyPostAsGet() {
  RecordBuilder builder;
  builder.Post("order", "/my-order/1");
  return builder.Build();
}

TEST_CASE("C-JWS-01 fails a POST body that is not a JWS", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Exchange& post = builder.Post("newOrder", "/order-plz", kOrderPayload);
  post.jws.reset();
  post.request_body = "identifiers=example.org";
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-JWS-01 fails the general serialization, an unprotected header and b64:false",
          "[report][rules]") {
  RecordBuilder builder;
  Exchange& general = builder.Post("newOrder", "/order-plz", kOrderPayload);
  general.jws->has_signatures_array = true;
  general.jws->flattened_json = false;
  builder.Post("newOrder", "/order-plz", kOrderPayload).jws->has_unprotected_header = true;
  SetProtected(builder.Post("newOrder", "/order-plz", kOrderPayload), "b64", false);
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-01");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2, 3});
  CHECK_THAT(finding.summary, Catch::Contains("signatures") && Catch::Contains("2 more"));
}

TEST_CASE("C-JWS-01 passes flattened JWSs, is not tested without POSTs", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-JWS-01").verdict == Verdict::kPass);
  RecordBuilder builder;
  builder.Get("directory", "/dir");
  CHECK(JudgeOne(builder.Build(), "C-JWS-01").verdict == Verdict::kNotTested);
}

TEST_CASE("C-JWS-02 fails a missing url, both jwk and kid, neither, an undecodable header",
          "[report][rules]") {
  RecordBuilder builder;
  builder.Head("newNonce", "/nonce-plz");
  SetProtected(builder.Post("order", "/my-order/1"), "url", nullptr);
  SetProtected(builder.Post("order", "/my-order/1"), "jwk", EcJwk());
  SetProtected(builder.Post("order", "/my-order/1"), "kid", nullptr);
  builder.Post("order", "/my-order/1").jws->protected_header = nullptr;
  const ClientRecord record = builder.Build();
  const Finding finding = JudgeOne(record, "C-JWS-02");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{2, 3, 4, 5});
  CHECK_THAT(finding.summary, Catch::Contains("#2 POST order: the protected header lacks url"));
}

TEST_CASE("C-JWS-02 passes complete headers, is not tested without signed POSTs",
          "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-JWS-02").verdict == Verdict::kPass);
  CHECK(JudgeOne(RecordBuilder().Build(), "C-JWS-02").verdict == Verdict::kNotTested);
}

TEST_CASE("C-JWS-03 fails a jwk on newOrder", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  Exchange& order = builder.Post("newOrder", "/order-plz", kOrderPayload);
  SetProtected(order, "kid", nullptr);
  SetProtected(order, "jwk", EcJwk());
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-03");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-JWS-03 fails a kid normalized from the Location", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetProtected(builder.Post("order", "/my-order/1"), "kid", std::string(kAccount) + "/");
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-03");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK_THAT(finding.summary, Catch::Contains("not byte-equal"));
}

TEST_CASE("C-JWS-03 passes the kid of a path Location, is not tested for an unknown account",
          "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  ClientRecord record = builder.Build();
  record.account_url.clear();
  SetHeader(record.exchanges[2].response_headers, "Location", "/my-account/1");
  CHECK(JudgeOne(record, "C-JWS-03").verdict == Verdict::kPass);

  ClientRecord unknown = OnlyPostAsGet();
  unknown.account_url.clear();
  CHECK(JudgeOne(unknown, "C-JWS-03").verdict == Verdict::kNotTested);
}

TEST_CASE("C-JWS-04 fails alg none and a MAC", "[report][rules]") {
  RecordBuilder builder;
  SetProtected(builder.Post("order", "/my-order/1"), "alg", "none");
  SetProtected(builder.Post("order", "/my-order/1"), "alg", "HS256");
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-04");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("C-JWS-04 fails an alg that does not fit the jwk or the account key", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetProtected(builder.Post("newAccount", "/sign-me-up", nlohmann::json::object()), "alg",
               "ES384");                                               // 11: P-256 jwk
  SetProtected(builder.Post("order", "/my-order/1"), "alg", "RS256");  // 12: the account is EC
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-04");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 12});
  CHECK_THAT(finding.summary, Catch::Contains("ES384 does not fit the EC P-256 key"));
}

TEST_CASE("C-JWS-04 passes fitting algs, is not tested without signed POSTs", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-JWS-04").verdict == Verdict::kPass);
  CHECK(JudgeOne(RecordBuilder().Build(), "C-JWS-04").verdict == Verdict::kNotTested);
}

TEST_CASE("C-JWS-05 fails a url with an inserted default port", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetProtected(builder.Post("order", "/my-order/1"), "url", "https://ca.test:443/my-order/1");
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-05");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-JWS-05 passes exact urls, is not tested without signed POSTs", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-JWS-05").verdict == Verdict::kPass);
  CHECK(JudgeOne(RecordBuilder().Build(), "C-JWS-05").verdict == Verdict::kNotTested);
}

TEST_CASE("C-JWS-06 fails a missing or other Content-Type", "[report][rules]") {
  RecordBuilder builder;
  SetHeader(builder.Post("order", "/my-order/1").request_headers, "Content-Type", "");
  SetHeader(builder.Post("order", "/my-order/1").request_headers, "Content-Type",
            "application/json");
  SetHeader(builder.Post("order", "/my-order/1").request_headers, "Content-Type",
            "application/jose+json; charset=utf-8");
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-06");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.evidence == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("C-JWS-06 notes media type parameters", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  SetHeader(builder.Post("order", "/my-order/1").request_headers, "Content-Type",
            "application/jose+json; charset=utf-8");
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-06");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11});
}

TEST_CASE("C-JWS-06 passes application/jose+json, is not tested without POSTs", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-JWS-06").verdict == Verdict::kPass);
  CHECK(JudgeOne(RecordBuilder().Build(), "C-JWS-06").verdict == Verdict::kNotTested);
}

TEST_CASE("C-JWS-07 fails a jwk with the private exponent", "[report][rules]") {
  RecordBuilder builder;
  nlohmann::json jwk = EcJwk();
  jwk["d"] = "secret";
  SetProtected(builder.Post("newAccount", "/sign-me-up", nlohmann::json::object()), "jwk", jwk);
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-07");
  CHECK(finding.verdict == Verdict::kFail);
  CHECK(finding.level == "SEC");
  CHECK_THAT(finding.summary, Catch::Contains("(d)"));
}

TEST_CASE("C-JWS-07 passes public JWKs, is not tested without a JWK", "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-JWS-07").verdict == Verdict::kPass);
  CHECK(JudgeOne(OnlyPostAsGet(), "C-JWS-07").verdict == Verdict::kNotTested);
}

TEST_CASE("C-JWS-09 notes resource, status in newOrder and keyAuthorization", "[report][rules]") {
  RecordBuilder builder = ConformingFlow();
  builder.Post("newOrder", "/order-plz",
               {{"resource", "new-order"}, {"status", "pending"}, {"identifiers", {}}});
  builder.Post("challenge", "/chalZ/1", {{"keyAuthorization", "t.x"}});
  const Finding finding = JudgeOne(builder.Build(), "C-JWS-09");
  CHECK(finding.verdict == Verdict::kNote);
  CHECK(finding.evidence == std::vector<std::uint64_t>{11, 12});
  CHECK_THAT(finding.summary, Catch::Contains("\"resource\"") && Catch::Contains("\"status\""));
}

TEST_CASE("C-JWS-09 passes clean payloads, is not tested without JSON payloads",
          "[report][rules]") {
  CHECK(JudgeOne(ConformingFlow().Build(), "C-JWS-09").verdict == Verdict::kPass);
  CHECK(JudgeOne(OnlyPostAsGet(), "C-JWS-09").verdict == Verdict::kNotTested);
}

}  // namespace

}  // namespace jws_rules_test
