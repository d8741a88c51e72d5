#include <string>

#include <catch2/catch.hpp>

#include "mockca/jose/base64url.hpp"
#include "mockca/jose/jws.hpp"
#include "tests/support/jws_signer.hpp"

namespace jws_verify_test {

namespace {

using mockca::acme::ProblemType;
using mockca::jose::EmbeddedKey;
using mockca::jose::Jws;
using mockca::jose::ParseJwk;
using mockca::jose::ParseJws;
using mockca::jose::PublicKey;
using mockca::jose::VerifySignature;
using nlohmann::json;
using support::KeyKind;
using support::SharedKey;

const std::string kUrl = "https://ca.test/sign-me-up";
const std::string kPayload = R"({"termsOfServiceAgreed":true})";

Jws Parsed(const json& body) {
  auto jws = ParseJws(body.dump());
  REQUIRE(jws.ok());
  return std::move(jws).value();
}

PublicKey KeyOf(KeyKind kind) {
  auto key = ParseJwk(SharedKey(kind).PublicJwk());
  REQUIRE(key.ok());
  return std::move(key).value();
}

void CheckProblem(const mockca::acme::Status& status, ProblemType type, const char* detail) {
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().type == type);
  CHECK(status.error().status == 400);
  CHECK_THAT(status.error().detail, Catch::Contains(detail));
}

struct AlgCase {
  const char* alg;
  KeyKind kind;
};

const AlgCase kAlgCases[] = {
    {"RS256", KeyKind::kRsa2048}, {"ES256", KeyKind::kP256},    {"ES384", KeyKind::kP384},
    {"ES512", KeyKind::kP521},    {"EdDSA", KeyKind::kEd25519},
};

// S-JWS-06: every alg of the default set signs and verifies, with jwk and with kid.
TEST_CASE("A JWS signed with each supported alg parses and verifies", "[jose][jws][verify]") {
  for (const auto& tc : kAlgCases) {
    DYNAMIC_SECTION(tc.alg) {
      const support::TestKey& key = SharedKey(tc.kind);
      const Jws with_jwk =
          Parsed(support::SignFlattened(key, support::AcmeHeader(key, kUrl), kPayload));
      CHECK(with_jwk.header.alg == tc.alg);
      CHECK(with_jwk.payload == kPayload);
      const auto embedded = EmbeddedKey(with_jwk);
      REQUIRE(embedded.ok());
      CHECK(VerifySignature(with_jwk, embedded.value()).ok());

      const Jws with_kid = Parsed(support::SignFlattened(
          key, support::AcmeHeader(key, kUrl, "https://ca.test/my-account/7"), ""));
      CHECK(with_kid.post_as_get());
      CHECK(VerifySignature(with_kid, embedded.value()).ok());
    }
  }
}

// ECDSA R and S with a high bit set need a DER zero octet, and short ones need padding; twenty
// signatures per curve meet both cases with near certainty.
TEST_CASE("ECDSA signatures convert from R||S to DER for every R and S", "[jose][jws][verify]") {
  for (const KeyKind kind : {KeyKind::kP256, KeyKind::kP384, KeyKind::kP521}) {
    const PublicKey key = KeyOf(kind);
    for (int i = 0; i < 20; ++i) {
      const Jws jws = Parsed(support::SignFlattened(
          SharedKey(kind), support::AcmeHeader(SharedKey(kind), kUrl), std::to_string(i)));
      CHECK(VerifySignature(jws, key).ok());
    }
  }
}

TEST_CASE("A tampered payload, protected header or signature is malformed", "[jose][jws][verify]") {
  for (const auto& tc : kAlgCases) {
    DYNAMIC_SECTION(tc.alg) {
      const support::TestKey& signer = SharedKey(tc.kind);
      const json body = support::SignFlattened(signer, support::AcmeHeader(signer, kUrl), kPayload);
      const PublicKey key = KeyOf(tc.kind);

      json payload = body;
      payload["payload"] = support::Base64Url(R"({"termsOfServiceAgreed":false})");
      CheckProblem(VerifySignature(Parsed(payload), key), ProblemType::kMalformed,
                   "JWS signature is invalid");

      json header = body;
      header["protected"] =
          support::Base64Url(support::AcmeHeader(signer, "https://ca.test/other").dump());
      CheckProblem(VerifySignature(Parsed(header), key), ProblemType::kMalformed,
                   "JWS signature is invalid");

      Jws flipped = Parsed(body);
      flipped.signature[flipped.signature.size() / 2] ^= 0x10;
      CheckProblem(VerifySignature(flipped, key), ProblemType::kMalformed,
                   "JWS signature is invalid");

      Jws truncated = Parsed(body);
      truncated.signature.pop_back();
      CheckProblem(VerifySignature(truncated, key), ProblemType::kMalformed,
                   "JWS signature is invalid");
    }
  }
}

TEST_CASE("A signature by another key of the same type is malformed", "[jose][jws][verify]") {
  const support::TestKey other = support::TestKey::Generate(KeyKind::kP256);
  const Jws jws = Parsed(support::SignFlattened(other, support::AcmeHeader(other, kUrl), kPayload));
  CheckProblem(VerifySignature(jws, KeyOf(KeyKind::kP256)), ProblemType::kMalformed,
               "JWS signature is invalid");
}

TEST_CASE("An ECDSA signature with R or S zero is malformed", "[jose][jws][verify]") {
  const support::TestKey& signer = SharedKey(KeyKind::kP256);
  Jws jws = Parsed(support::SignFlattened(signer, support::AcmeHeader(signer, kUrl), kPayload));
  jws.signature.replace(0, 32, std::string(32, '\0'));
  CheckProblem(VerifySignature(jws, KeyOf(KeyKind::kP256)), ProblemType::kMalformed,
               "JWS signature is invalid");
  jws.signature = std::string(64, '\0');
  CheckProblem(VerifySignature(jws, KeyOf(KeyKind::kP256)), ProblemType::kMalformed,
               "JWS signature is invalid");
}

struct MismatchCase {
  const char* name;
  const char* alg;
  KeyKind kind;
  const char* detail;
};

// S-JWS-07: the alg is supported but the key may not use it.
TEST_CASE("A key that does not suit the JWS alg is badPublicKey", "[jose][jws][verify]") {
  const MismatchCase cases[] = {
      {"ES384 with a P-256 key", "ES384", KeyKind::kP256, "ES384 needs a P-384 key, not P-256"},
      {"ES256 with a P-521 key", "ES256", KeyKind::kP521, "ES256 needs a P-256 key, not P-521"},
      {"ES512 with a P-384 key", "ES512", KeyKind::kP384, "ES512 needs a P-521 key"},
      {"RS256 with an EC key", "RS256", KeyKind::kP256, "RS256 needs a RSA key, not P-256"},
      {"ES256 with an RSA key", "ES256", KeyKind::kRsa2048, "ES256 needs a P-256 key, not RSA"},
      {"EdDSA with an RSA key", "EdDSA", KeyKind::kRsa2048, "EdDSA needs a Ed25519 key"},
      {"ES256 with an Ed25519 key", "ES256", KeyKind::kEd25519, "not Ed25519"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      const support::TestKey& signer = SharedKey(tc.kind);
      const Jws jws = Parsed(
          support::SignFlattened(signer, support::AcmeHeader(signer, kUrl, "", tc.alg), kPayload));
      const auto key = EmbeddedKey(jws);
      REQUIRE(key.ok());
      CheckProblem(VerifySignature(jws, key.value()), ProblemType::kBadPublicKey, tc.detail);
    }
  }
}

TEST_CASE("A JWK alg member must equal the JWS alg (S-JWS-07)", "[jose][jws][verify]") {
  const support::TestKey& signer = SharedKey(KeyKind::kP256);
  json header = support::AcmeHeader(signer, kUrl);
  header["jwk"]["alg"] = "ES256";
  const Jws agreeing = Parsed(support::SignFlattened(signer, header, kPayload));
  const auto agreeing_key = EmbeddedKey(agreeing);
  REQUIRE(agreeing_key.ok());
  CHECK(VerifySignature(agreeing, agreeing_key.value()).ok());

  header["jwk"]["alg"] = "ES384";
  const Jws disagreeing = Parsed(support::SignFlattened(signer, header, kPayload));
  const auto disagreeing_key = EmbeddedKey(disagreeing);
  REQUIRE(disagreeing_key.ok());
  CheckProblem(VerifySignature(disagreeing, disagreeing_key.value()), ProblemType::kBadPublicKey,
               "jwk alg \"ES384\" does not match the JWS alg ES256");
}

TEST_CASE("EmbeddedKey reports a kid-only JWS as malformed and passes on jwk problems",
          "[jose][jws]") {
  const support::TestKey& signer = SharedKey(KeyKind::kP256);
  const Jws with_kid =
      Parsed(support::SignFlattened(signer, support::AcmeHeader(signer, kUrl, "kid-1"), ""));
  const auto none = EmbeddedKey(with_kid);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().type == ProblemType::kMalformed);
  CHECK_THAT(none.error().detail, Catch::Contains("has no jwk"));

  const support::TestKey& weak = SharedKey(KeyKind::kRsa1024);
  const Jws weak_jws =
      Parsed(support::SignFlattened(weak, support::AcmeHeader(weak, kUrl), kPayload));
  const auto refused = EmbeddedKey(weak_jws);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().type == ProblemType::kBadPublicKey);  // S-JWS-07: RSA < 2048
}

TEST_CASE("VerifySignature refuses an unsupported alg on a hand-built Jws", "[jose][jws]") {
  const support::TestKey& signer = SharedKey(KeyKind::kP256);
  Jws jws = Parsed(support::SignFlattened(signer, support::AcmeHeader(signer, kUrl), kPayload));
  jws.header.alg = "HS256";
  const auto status = VerifySignature(jws, KeyOf(KeyKind::kP256));
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().type == ProblemType::kBadSignatureAlgorithm);
  CHECK(status.error().algorithms.size() == 5);
}

}  // namespace

}  // namespace jws_verify_test
