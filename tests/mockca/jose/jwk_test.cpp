#include "mockca/jose/jwk.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "mockca/jose/base64url.hpp"
#include "tests/support/jws_signer.hpp"

namespace jwk_test {

namespace {

using mockca::acme::ProblemType;
using mockca::jose::ParseJwk;
using nlohmann::json;
using support::KeyKind;

// RFC 7638 §3.1.
const json kRfc7638Key = {
    {"kty", "RSA"},
    {"n",
     "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
     "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY3"
     "68QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4"
     "lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"},
    {"e", "AQAB"},
    {"alg", "RS256"},
    {"kid", "2011-04-29"},
};

TEST_CASE("JwkThumbprint gives the RFC 7638 section 3.1 thumbprint", "[jose][jwk]") {
  const auto key = ParseJwk(kRfc7638Key);
  REQUIRE(key.ok());
  CHECK(key->kty == "RSA");
  CHECK(key->alg == "RS256");
  // Only the required members are kept: "alg" and "kid" are not part of the thumbprint input.
  CHECK(key->jwk.dump() ==
        R"({"e":"AQAB","kty":"RSA","n":")" + kRfc7638Key["n"].get<std::string>() + R"("})");
  CHECK(mockca::jose::JwkThumbprint(key.value()) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

struct KindCase {
  const char* name;
  KeyKind kind;
  const char* kty;
  const char* crv;
};

TEST_CASE("ParseJwk accepts RSA 2048, P-256, P-384, P-521 and Ed25519 keys (S-JWS-06)",
          "[jose][jwk]") {
  const KindCase cases[] = {
      {"RSA 2048", KeyKind::kRsa2048, "RSA", ""},       {"P-256", KeyKind::kP256, "EC", "P-256"},
      {"P-384", KeyKind::kP384, "EC", "P-384"},         {"P-521", KeyKind::kP521, "EC", "P-521"},
      {"Ed25519", KeyKind::kEd25519, "OKP", "Ed25519"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const support::TestKey& test_key = support::SharedKey(tc.kind);
      const auto key = ParseJwk(test_key.PublicJwk());
      REQUIRE(key.ok());
      CHECK(key->kty == tc.kty);
      CHECK(key->crv == tc.crv);
      CHECK(key->alg.empty());
      CHECK(EVP_PKEY_eq(key->key.get(), test_key.get()) == 1);
      CHECK(key->jwk == test_key.PublicJwk());
      CHECK(mockca::jose::JwkThumbprint(key.value()).size() == 43);  // 32 bytes, unpadded
    }
  }
}

TEST_CASE("SameKey compares keys, not their JWK spelling", "[jose][jwk]") {
  json spelled = support::SharedKey(KeyKind::kP256).PublicJwk();
  const auto a = ParseJwk(spelled);
  spelled["use"] = "sig";
  spelled["kid"] = "another name";
  const auto b = ParseJwk(spelled);
  const auto other = ParseJwk(support::SharedKey(KeyKind::kP384).PublicJwk());
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(other.ok());
  CHECK(mockca::jose::SameKey(a.value(), b.value()));
  CHECK(mockca::jose::JwkThumbprint(a.value()) == mockca::jose::JwkThumbprint(b.value()));
  CHECK_FALSE(mockca::jose::SameKey(a.value(), other.value()));
}

json With(json jwk, const char* member, json value) {
  jwk[member] = std::move(value);
  return jwk;
}

json Without(json jwk, const char* member) {
  jwk.erase(member);
  return jwk;
}

// The JWK of key with its base64url member changed by change(bytes).
template <typename Change>
json Mutated(KeyKind kind, const char* member, Change change) {
  json jwk = support::SharedKey(kind).PublicJwk();
  const auto decoded = mockca::jose::Base64UrlDecode(jwk[member].get<std::string>(), member);
  REQUIRE(decoded.ok());
  std::string bytes = decoded.value();
  change(bytes);
  jwk[member] = support::Base64Url(bytes);
  return jwk;
}

struct Rejection {
  const char* name;
  json jwk;
  ProblemType type;
  const char* detail;
};

// S-JWS-07: refused keys are badPublicKey with the reason; broken JWKs are malformed.
TEST_CASE("ParseJwk refuses weak, off-curve, private and unknown keys", "[jose][jwk]") {
  const json rsa = support::SharedKey(KeyKind::kRsa2048).PublicJwk();
  const json p256 = support::SharedKey(KeyKind::kP256).PublicJwk();
  const json p384 = support::SharedKey(KeyKind::kP384).PublicJwk();
  const json ed25519 = support::SharedKey(KeyKind::kEd25519).PublicJwk();
  const auto kMalformed = ProblemType::kMalformed;
  const auto kBadKey = ProblemType::kBadPublicKey;
  const Rejection rejections[] = {
      {"not an object", json::array({p256}), kMalformed, "jwk must be a JSON object"},
      {"EC private d", With(p256, "d", "AAAA"), kMalformed, "must not contain private key"},
      {"RSA private p", With(rsa, "p", "AAAA"), kMalformed, "must not contain private key"},
      {"symmetric k", json{{"kty", "oct"}, {"k", "AAAA"}}, kMalformed, "private key members"},
      {"no kty", Without(p256, "kty"), kMalformed, "jwk member kty is missing"},
      {"kty not a string", With(p256, "kty", 2), kMalformed, "jwk member kty is missing"},
      {"alg not a string", With(p256, "alg", 256), kMalformed, "jwk member alg"},
      {"unknown kty", With(p256, "kty", "oct"), kBadKey, "unsupported JWK kty \"oct\""},
      {"lowercase kty", With(p256, "kty", "ec"), kBadKey, "unsupported JWK kty"},
      {"RSA 1024", support::SharedKey(KeyKind::kRsa1024).PublicJwk(), kBadKey,
       "RSA key of 1024 bits is too small"},
      {"RSA even exponent", With(rsa, "e", "AQAA"), kBadKey, "odd and greater than 1"},
      {"RSA exponent 1", With(rsa, "e", "AQ"), kBadKey, "odd and greater than 1"},
      {"RSA no e", Without(rsa, "e"), kMalformed, "jwk member e is missing"},
      {"RSA padded n", With(rsa, "n", rsa["n"].get<std::string>() + "=="), kMalformed,
       "field jwk.n: base64url must not be padded"},
      {"RSA leading zero in n",
       Mutated(KeyKind::kRsa2048, "n", [](std::string& n) { n.insert(0, 1, '\0'); }), kMalformed,
       "minimal Base64urlUInt"},
      {"EC no crv", Without(p256, "crv"), kMalformed, "jwk member crv is missing"},
      {"EC P-192", With(p256, "crv", "P-192"), kBadKey, "unsupported EC curve \"P-192\""},
      {"EC secp256k1", With(p256, "crv", "secp256k1"), kBadKey, "unsupported EC curve"},
      {"EC no y", Without(p256, "y"), kMalformed, "jwk member y is missing"},
      {"EC x of 31 bytes", Mutated(KeyKind::kP256, "x", [](std::string& x) { x.pop_back(); }),
       kBadKey, "EC coordinate x of P-256 must be 32 bytes, not 31"},
      {"EC y of 33 bytes", Mutated(KeyKind::kP256, "y", [](std::string& y) { y += '\0'; }), kBadKey,
       "EC coordinate y of P-256 must be 32 bytes, not 33"},
      {"P-384 point labelled P-256", With(p384, "crv", "P-256"), kBadKey, "must be 32 bytes"},
      {"EC point off the curve",
       Mutated(KeyKind::kP256, "y", [](std::string& y) { y.back() ^= 1; }), kBadKey,
       "EC point is not a valid point on P-256"},
      {"EC point (0, 0)",
       With(With(p256, "x", support::Base64Url(std::string(32, '\0'))), "y",
            support::Base64Url(std::string(32, '\0'))),
       kBadKey, "not a valid point"},
      {"OKP Ed448", With(ed25519, "crv", "Ed448"), kBadKey, "unsupported OKP curve \"Ed448\""},
      {"OKP X25519", With(ed25519, "crv", "X25519"), kBadKey, "unsupported OKP curve"},
      {"Ed25519 x of 31 bytes",
       Mutated(KeyKind::kEd25519, "x", [](std::string& x) { x.pop_back(); }), kBadKey,
       "must be 32 bytes, not 31"},
      {"Ed25519 x with a plus", With(ed25519, "x", "+" + ed25519["x"].get<std::string>()),
       kMalformed, "field jwk.x: invalid base64url character"},
  };
  for (const auto& r : rejections) {
    DYNAMIC_SECTION(r.name) {
      const auto key = ParseJwk(r.jwk);
      REQUIRE_FALSE(key.ok());
      CHECK(key.error().type == r.type);
      CHECK(key.error().status == 400);
      CHECK_THAT(key.error().detail, Catch::Contains(r.detail));
    }
  }
}

}  // namespace

}  // namespace jwk_test
