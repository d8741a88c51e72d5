// DecodeJws and SignerOf: a client's JWS recorded as sent and decoded as far as it decodes.
#include "mockca/report/jws_decode.hpp"

#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include "mockca/jose/base64url.hpp"
#include "mockca/jose/jws.hpp"
#include "tests/support/jws_signer.hpp"

namespace jws_decode_test {

namespace {

using mockca::jose::Base64UrlEncode;
using mockca::report::DecodeJws;
using mockca::report::DecodeJwsHeaderFields;
using mockca::report::HeaderFieldsOf;
using mockca::report::SignerOf;

std::string Jws(const std::string& protected_b64, const std::string& payload_b64,
                const std::string& extra = "") {
  return R"({"protected":")" + protected_b64 + R"(","payload":")" + payload_b64 +
         R"(","signature":"c2ln")" + extra + "}";
}

std::string Sha256Base64Url(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  REQUIRE(EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) == 1);
  return support::Base64Url(std::string_view(reinterpret_cast<const char*>(digest), size));
}

const std::string kHeader =
    R"({"alg":"ES256","nonce":"n1","url":"https://ca.test/x","kid":"https://ca.test/acct/1"})";

TEST_CASE("DecodeJws decodes a flattened JWS", "[report][jws]") {
  const auto jws = DecodeJws(Jws(Base64UrlEncode(kHeader), Base64UrlEncode(R"({"a":1})")));
  REQUIRE(jws);
  CHECK(jws->flattened_json);
  CHECK_FALSE(jws->has_unprotected_header);
  CHECK_FALSE(jws->has_signatures_array);
  CHECK(jws->protected_b64 == Base64UrlEncode(kHeader));
  CHECK(jws->signature_b64 == "c2ln");
  CHECK(jws->protected_header == nlohmann::json::parse(kHeader));
  CHECK(jws->payload == nlohmann::json::parse(R"({"a":1})"));
  CHECK(jws->alg == "ES256");
  CHECK(jws->nonce == "n1");
  CHECK(jws->url == "https://ca.test/x");
  CHECK(jws->kid == "https://ca.test/acct/1");
  CHECK(jws->jwk.is_null());
  CHECK(SignerOf(*jws) == "https://ca.test/acct/1");
}

TEST_CASE("DecodeJwsHeaderFields decodes the flags and the header's fields only", "[report][jws]") {
  const std::string header =
      R"({"alg":"ES256","nonce":"n1","url":"https://ca.test/x","jwk":{"kty":"EC"}})";
  const auto jws = DecodeJwsHeaderFields(
      Jws(Base64UrlEncode(header), Base64UrlEncode(R"({"a":1})"), R"(,"header":{})"));
  REQUIRE(jws);
  CHECK(jws->flattened_json);
  CHECK(jws->has_unprotected_header);
  CHECK(jws->alg == "ES256");
  CHECK(jws->nonce == "n1");
  CHECK(jws->url == "https://ca.test/x");
  CHECK(jws->kid.empty());
  CHECK(jws->jwk == nlohmann::json::parse(R"({"kty":"EC"})"));
  CHECK(jws->protected_b64.empty());
  CHECK(jws->payload_b64.empty());
  CHECK(jws->signature_b64.empty());
  CHECK(jws->protected_header.is_null());
  CHECK(jws->payload.is_null());
  CHECK_FALSE(DecodeJwsHeaderFields("[1]"));
}

TEST_CASE("DecodeJws gives a null payload for POST-as-GET", "[report][jws]") {
  const auto jws = DecodeJws(Jws(Base64UrlEncode(kHeader), ""));
  REQUIRE(jws);
  CHECK(jws->payload_b64.empty());
  CHECK(jws->payload.is_null());
}

TEST_CASE("DecodeJws keeps padded or non-URL-safe values raw and discards their decoding",
          "[report][jws]") {
  const std::string padded_header = Base64UrlEncode(kHeader) + "==";
  const std::string payload = Base64UrlEncode(R"({"a":"??>"})");  // has '-' or '_'
  std::string standard_payload = payload;
  for (char& c : standard_payload) {
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  REQUIRE(standard_payload != payload);
  const auto jws = DecodeJws(Jws(padded_header, standard_payload));
  REQUIRE(jws);
  CHECK(jws->flattened_json);
  CHECK(jws->protected_b64 == padded_header);
  CHECK(jws->payload_b64 == standard_payload);
  CHECK(jws->protected_header.is_null());
  CHECK(jws->payload.is_null());
  CHECK(jws->alg.empty());
  CHECK(jws->kid.empty());
  CHECK(SignerOf(*jws).empty());
}

TEST_CASE("DecodeJws notes the general serialization and an unprotected header", "[report][jws]") {
  const auto general = DecodeJws(R"({"payload":"e30","signatures":[{"protected":"x"}]})");
  REQUIRE(general);
  CHECK(general->has_signatures_array);
  CHECK_FALSE(general->flattened_json);
  const auto unprotected = DecodeJws(Jws(Base64UrlEncode(kHeader), "", R"(,"header":{"kid":"x"})"));
  REQUIRE(unprotected);
  CHECK(unprotected->has_unprotected_header);
  CHECK(unprotected->flattened_json);
}

TEST_CASE("DecodeJws is nullopt for a body that is not a JSON object", "[report][jws]") {
  CHECK_FALSE(DecodeJws(""));
  CHECK_FALSE(DecodeJws("not json"));
  CHECK_FALSE(DecodeJws("[1,2]"));
  CHECK_FALSE(DecodeJws("\"e30\""));
  const auto odd = DecodeJws(R"({"protected":5,"payload":null})");
  REQUIRE(odd);
  CHECK_FALSE(odd->flattened_json);
  CHECK(odd->protected_b64.empty());
}

TEST_CASE("SignerOf names a jwk by its RFC 7638 thumbprint", "[report][jws]") {
  const auto& key = support::SharedKey(support::KeyKind::kP256);
  nlohmann::json header = support::AcmeHeader(key, "https://ca.test/new-acct");
  const auto jws = DecodeJws(support::SignFlattened(key, header, "{}").dump());
  REQUIRE(jws);
  REQUIRE(jws->jwk.is_object());
  // RFC 7638 for EC: {"crv","kty","x","y"} in that order, no whitespace.
  const auto& jwk = jws->jwk;
  const std::string canonical = R"({"crv":")" + jwk["crv"].get<std::string>() +
                                R"(","kty":"EC","x":")" + jwk["x"].get<std::string>() +
                                R"(","y":")" + jwk["y"].get<std::string>() + R"("})";
  const std::string signer = SignerOf(*jws);
  REQUIRE(signer.rfind("key:", 0) == 0);
  CHECK(signer == "key:" + Sha256Base64Url(canonical));

  nlohmann::json bad_header = header;
  bad_header["jwk"] = {{"kty", "EC"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "AA"}};
  const auto bad = DecodeJws(support::SignFlattened(key, bad_header, "{}").dump());
  REQUIRE(bad);
  const std::string bad_signer = SignerOf(*bad);
  CHECK(bad_signer.rfind("key:unparsed:", 0) == 0);
  CHECK(bad_signer == SignerOf(*bad));
}

}  // namespace

TEST_CASE("HeaderFieldsOf a header ParseJws gave is DecodeJwsHeaderFields of its body",
          "[report][jws]") {
  // The recorder takes the WFE's parse instead of decoding the body again: both must agree.
  const auto& key = support::SharedKey(support::KeyKind::kP256);
  const auto& rsa = support::SharedKey(support::KeyKind::kRsa2048);
  const nlohmann::json kid_header = {{"alg", "ES256"},
                                     {"nonce", "bm9uY2U"},
                                     {"url", "https://ca.test/order/1"},
                                     {"kid", "https://ca.test/acct/1"},
                                     {"extra", {1, 2}}};
  nlohmann::json jwk_header = {
      {"alg", "RS256"}, {"nonce", "bm9uY2U"}, {"url", "https://ca.test/new-acct"}};
  jwk_header["jwk"] = rsa.PublicJwk();
  for (const std::string& body : {support::SignFlattened(key, kid_header, "{}").dump(),
                                  support::SignFlattened(key, kid_header, "").dump(2),
                                  support::SignFlattened(rsa, jwk_header, R"({"a":[1]})").dump()}) {
    INFO(body);
    const auto parsed = mockca::jose::ParseJws(body);
    REQUIRE(parsed);
    const auto decoded = DecodeJwsHeaderFields(body);
    REQUIRE(decoded);
    CHECK(*decoded == HeaderFieldsOf(parsed->header));
    CHECK(SignerOf(*decoded) == SignerOf(HeaderFieldsOf(parsed->header)));
  }
}

}  // namespace jws_decode_test
