#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "mockca/jose/jws.hpp"

namespace jws_interop_test {

namespace {

using mockca::acme::ProblemType;

// The seeds of fuzz/corpus/jws_parse/ are written by make_jws_seeds.py with josepy and
// python-cryptography: a second implementation of JWS signing and JWK export.
std::string Seed(const std::string& name) {
  std::ifstream file(std::string(ANVIL_SOURCE_DIR) + "/fuzz/corpus/jws_parse/" + name,
                     std::ios::binary);
  REQUIRE(file);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST_CASE("JWS bodies signed by josepy and python-cryptography verify with every alg",
          "[jose][jws][interop]") {
  const char* algs[] = {"rs256", "es256", "es384", "es512", "eddsa"};
  for (const char* alg : algs) {
    DYNAMIC_SECTION(alg) {
      const auto jws = mockca::jose::ParseJws(Seed(std::string(alg) + "_jwk_new_account"));
      REQUIRE(jws.ok());
      const auto key = mockca::jose::EmbeddedKey(jws.value());
      REQUIRE(key.ok());
      CHECK(mockca::jose::VerifySignature(jws.value(), key.value()).ok());

      const auto kid = mockca::jose::ParseJws(Seed(std::string(alg) + "_kid_new_order"));
      REQUIRE(kid.ok());
      CHECK(kid->header.kid == "https://ca.test/my-account/1");
    }
  }
}

struct SeedCase {
  const char* seed;
  ProblemType type;
  const char* detail;
};

TEST_CASE("The josepy rejection seeds meet the problem each is named after",
          "[jose][jws][interop]") {
  const SeedCase cases[] = {
      {"bad_key_rsa1024", ProblemType::kBadPublicKey, "too small"},
      {"bad_key_es384_with_p256", ProblemType::kBadPublicKey, "needs a P-384 key"},
      {"bad_key_jwk_alg_mismatch", ProblemType::kBadPublicKey, "does not match"},
      {"bad_sig_tampered_payload", ProblemType::kMalformed, "JWS signature is invalid"},
      {"bad_private_jwk", ProblemType::kMalformed, "private key members"},
      {"bad_alg_none", ProblemType::kBadSignatureAlgorithm, "\"none\""},
      {"bad_alg_hs256", ProblemType::kBadSignatureAlgorithm, "\"HS256\""},
      {"bad_nonce_missing", ProblemType::kBadNonce, "no nonce"},
      {"bad_nonce_syntax", ProblemType::kMalformed, "field nonce"},
      {"bad_both_jwk_and_kid", ProblemType::kMalformed, "both jwk and kid"},
      {"bad_b64_false", ProblemType::kMalformed, "b64"},
      {"bad_general_form", ProblemType::kMalformed, "general serialization"},
      {"bad_unprotected_header", ProblemType::kMalformed, "unprotected header"},
      {"bad_padded_protected", ProblemType::kMalformed, "must not be padded"},
      {"bad_compact_form", ProblemType::kMalformed, "compact serialization"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.seed) {
      mockca::acme::Problem problem;
      auto jws = mockca::jose::ParseJws(Seed(tc.seed));
      if (!jws) {
        problem = jws.error();
      } else if (auto key = mockca::jose::EmbeddedKey(jws.value()); !key) {
        problem = key.error();
      } else {
        const auto status = mockca::jose::VerifySignature(jws.value(), key.value());
        REQUIRE_FALSE(status.ok());
        problem = status.error();
      }
      CHECK(problem.type == tc.type);
      CHECK(problem.status == 400);
      CHECK_THAT(problem.detail, Catch::Contains(tc.detail));
    }
  }
}

}  // namespace

}  // namespace jws_interop_test
