#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mockca/jose/jws.hpp"
#include "tests/support/jws_signer.hpp"

namespace jws_parse_test {

namespace {

using mockca::acme::ProblemType;
using mockca::jose::ParseJws;
using nlohmann::json;
using support::Base64Url;

const std::string kUrl = "https://ca.test/order-plz";
const std::string kKid = "https://ca.test/my-account/1";

json KidHeader() {
  return {{"alg", "ES256"}, {"nonce", "bm9uY2UtMQ"}, {"url", kUrl}, {"kid", kKid}};
}

json With(json object, const char* member, json value) {
  object[member] = std::move(value);
  return object;
}

json Without(json object, const char* member) {
  object.erase(member);
  return object;
}

// A flattened JWS body with a dummy 64-byte signature; ParseJws never verifies.
json Flattened(const json& header, const std::string& payload = R"({"status":"deactivated"})") {
  return {{"protected", Base64Url(header.dump())},
          {"payload", Base64Url(payload)},
          {"signature", Base64Url(std::string(64, 's'))}};
}

std::string Body(const json& header) {
  return Flattened(header).dump();
}

TEST_CASE("ParseJws accepts a flattened JWS with kid and decodes its parts", "[jose][jws]") {
  const auto jws = ParseJws(Body(KidHeader()));
  REQUIRE(jws.ok());
  CHECK(jws->header.alg == "ES256");
  CHECK(jws->header.nonce == "bm9uY2UtMQ");
  CHECK(jws->header.url == kUrl);
  CHECK(jws->header.kid == kKid);
  CHECK_FALSE(jws->header.jwk.has_value());
  CHECK(jws->header.raw == KidHeader());
  CHECK(jws->payload == R"({"status":"deactivated"})");
  CHECK(jws->signature == std::string(64, 's'));
  CHECK(jws->protected_b64 == Base64Url(KidHeader().dump()));
  CHECK_FALSE(jws->post_as_get());
}

TEST_CASE("ParseJws accepts an empty payload as POST-as-GET (RFC 8555 6.3)", "[jose][jws]") {
  const auto jws = ParseJws(Flattened(KidHeader(), "").dump());
  REQUIRE(jws.ok());
  CHECK(jws->post_as_get());
  CHECK(jws->payload.empty());
}

TEST_CASE("ParseJws keeps an embedded jwk and ignores unknown top-level members", "[jose][jws]") {
  const json jwk = support::SharedKey(support::KeyKind::kP256).PublicJwk();
  json body = Flattened(With(Without(KidHeader(), "kid"), "jwk", jwk));
  body["comment"] = "RFC 7515 7.2.1: unknown members are ignored";
  const auto jws = ParseJws(body.dump());
  REQUIRE(jws.ok());
  REQUIRE(jws->header.jwk.has_value());
  CHECK(*jws->header.jwk == jwk);
  CHECK(jws->header.kid.empty());
}

struct Rejection {
  const char* name;
  std::string body;
  const char* detail;
};

// S-JWS-02, S-JWS-03, S-HTTP-04: the body and its three members.
std::vector<Rejection> BodyRejections() {
  const json header = KidHeader();
  const json good = Flattened(header);
  const std::string compact = Base64Url(header.dump()) + ".e30.c2ln";
  return {
      // S-JWS-02: flattened JSON only.
      {"empty body", "", "not valid JSON"},
      {"truncated JSON", R"({"protected":)", "not valid JSON"},
      {"body nested too deep", R"({"x":)" + std::string(100000, '[') + "}",
       "JWS body nests arrays and objects deeper than 64 levels"},
      {"compact serialization", compact, "compact serialization is not accepted"},
      {"compact serialization as a JSON string", json(compact).dump(), "compact serialization"},
      {"JSON array", json::array({good}).dump(), "must be a JSON object"},
      {"JSON number", "42", "must be a JSON object"},
      {"general serialization", With(good, "signatures", json::array({good})).dump(),
       "general serialization (signatures)"},
      {"missing signature", Without(good, "signature").dump(), "JWS has no signature member"},
      {"empty signature", With(good, "signature", "").dump(), "JWS signature must not be empty"},
      {"signature not a string", With(good, "signature", 5).dump(), "signature must be a string"},
      {"signature with a slash", With(good, "signature", "ab/c").dump(),
       "field signature: invalid base64url character"},
      {"padded signature", With(good, "signature", "c2ln==").dump(),
       "field signature: base64url must not be padded"},
      // S-JWS-03.
      {"unprotected header", With(good, "header", {{"kid", kKid}}).dump(),
       "must not have an unprotected header"},
      {"detached payload", Without(good, "payload").dump(), "JWS has no payload member"},
      {"payload not a string", With(good, "payload", json::object()).dump(),
       "payload must be a string"},
      {"padded payload (S-HTTP-04)", With(good, "payload", "e30=").dump(),
       "field payload: base64url must not be padded"},
      {"payload of impossible length", With(good, "payload", "e30xx").dump(), "1 mod 4"},
      {"missing protected", Without(good, "protected").dump(), "JWS has no protected member"},
      {"empty protected", With(good, "protected", "").dump(), "protected must not be empty"},
      {"protected not a string", With(good, "protected", header).dump(),
       "protected must be a string"},
      {"padded protected (S-HTTP-04)", With(good, "protected", Base64Url("{}") + "=").dump(),
       "field protected: base64url must not be padded"},
      {"protected with a plus", With(good, "protected", "+" + Base64Url(header.dump())).dump(),
       "field protected: invalid base64url character"},
      {"protected not JSON", With(good, "protected", Base64Url("{alg:")).dump(),
       "protected header is not valid JSON"},
      {"protected nested too deep",
       With(good, "protected",
            Base64Url(R"({"alg":"ES256","x":)" + std::string(65, '[') + std::string(65, ']') + "}"))
           .dump(),
       "protected header nests arrays and objects deeper than 64 levels"},
      {"protected a JSON array", With(good, "protected", Base64Url("[1]")).dump(),
       "protected header is not a JSON object"},
      {"protected invalid UTF-8", With(good, "protected", Base64Url("{\"alg\":\"\xff\"}")).dump(),
       "protected header is not valid JSON"},
  };
}

// S-JWS-03, S-JWS-04, S-JWS-09, S-NONCE-07: the protected header.
std::vector<Rejection> HeaderRejections() {
  const json header = KidHeader();
  const json jwk = support::SharedKey(support::KeyKind::kP256).PublicJwk();
  return {
      {"b64 false", Body(With(header, "b64", false)), "must not have b64"},
      {"crit", Body(With(header, "crit", json::array({"b64"}))), "must not have crit"},
      // S-JWS-04.
      {"missing alg", Body(Without(header, "alg")), "must have a string alg"},
      {"alg not a string", Body(With(header, "alg", json::array({"ES256"}))),
       "must have a string alg"},
      {"both jwk and kid", Body(With(header, "jwk", jwk)), "must not have both jwk and kid"},
      {"neither jwk nor kid", Body(Without(header, "kid")), "must have jwk or kid"},
      {"jwk not an object", Body(With(Without(header, "kid"), "jwk", "a key")),
       "jwk must be a JSON object"},
      {"kid not a string", Body(With(header, "kid", 1)), "kid must be a non-empty string"},
      {"empty kid", Body(With(header, "kid", "")), "kid must be a non-empty string"},
      // S-JWS-09.
      {"missing url", Body(Without(header, "url")), "non-empty string url"},
      {"url not a string", Body(With(header, "url", json::object())), "non-empty string url"},
      {"empty url", Body(With(header, "url", "")), "non-empty string url"},
      // S-NONCE-07: a nonce that is not base64url is malformed, not badNonce.
      {"nonce a+b/=", Body(With(header, "nonce", "a+b/=")), "field nonce: base64url must not be"},
      {"nonce with a slash", Body(With(header, "nonce", "a/b")), "field nonce: invalid base64url"},
      {"nonce of impossible length", Body(With(header, "nonce", "abcde")), "1 mod 4"},
      {"empty nonce", Body(With(header, "nonce", "")), "nonce must be a non-empty string"},
      {"nonce not a string", Body(With(header, "nonce", 12345)), "nonce must be a non-empty"},
  };
}

TEST_CASE("ParseJws answers every structural fault with 400 malformed (S-JWS-02..04, 09)",
          "[jose][jws]") {
  std::vector<Rejection> rejections = BodyRejections();
  for (Rejection& rejection : HeaderRejections()) {
    rejections.push_back(std::move(rejection));
  }
  CHECK(rejections.size() >= 25);
  for (const auto& r : rejections) {
    DYNAMIC_SECTION(r.name) {
      const auto jws = ParseJws(r.body);
      REQUIRE_FALSE(jws.ok());
      CHECK(jws.error().type == ProblemType::kMalformed);
      CHECK(jws.error().status == 400);
      CHECK_THAT(jws.error().detail, Catch::Contains(r.detail));
    }
  }
}

TEST_CASE("ParseJws answers a missing nonce with badNonce (RFC 8555 6.5)", "[jose][jws]") {
  const auto jws = ParseJws(Body(Without(KidHeader(), "nonce")));
  REQUIRE_FALSE(jws.ok());
  CHECK(jws.error().type == ProblemType::kBadNonce);
  CHECK(jws.error().status == 400);
  CHECK_THAT(jws.error().detail, Catch::Contains("no nonce"));
}

// S-JWS-05: none and MAC algs are never accepted, and the problem lists the accepted algs.
TEST_CASE("ParseJws answers none, HS256 and other algs with badSignatureAlgorithm and the list",
          "[jose][jws]") {
  const char* algs[] = {"none",  "HS256",  "HS384", "HS512",   "RS384", "RS512",
                        "PS256", "ES256K", "es256", "Ed25519", ""};
  const std::vector<std::string> accepted = {"RS256", "ES256", "ES384", "ES512", "EdDSA"};
  CHECK(mockca::jose::SupportedAlgorithms() == accepted);
  for (const char* alg : algs) {
    DYNAMIC_SECTION("alg \"" << alg << "\"") {
      const auto jws = ParseJws(Body(With(KidHeader(), "alg", alg)));
      REQUIRE_FALSE(jws.ok());
      CHECK(jws.error().type == ProblemType::kBadSignatureAlgorithm);
      CHECK(jws.error().status == 400);
      CHECK(jws.error().algorithms == accepted);
      CHECK_THAT(jws.error().detail, Catch::Contains(std::string("\"") + alg + "\""));
      CHECK(mockca::acme::ToJson(jws.error())["algorithms"] == json(accepted));
    }
  }
}

}  // namespace

}  // namespace jws_parse_test
