#include "mockca/acme/problem.hpp"

#include <catch2/catch.hpp>

namespace problem_test {

namespace {

using mockca::acme::ProblemType;

struct StatusCase {
  ProblemType type;
  const char* name;
  int status;
};

// conformance.md §1.3: the statuses fixed by the RFCs and by Boulder/Pebble convention.
TEST_CASE("Every problem type has its URN and the status of conformance.md 1.3",
          "[acme][problem]") {
  const StatusCase cases[] = {
      {ProblemType::kBadNonce, "badNonce", 400},
      {ProblemType::kBadSignatureAlgorithm, "badSignatureAlgorithm", 400},
      {ProblemType::kBadPublicKey, "badPublicKey", 400},
      {ProblemType::kAccountDoesNotExist, "accountDoesNotExist", 400},
      {ProblemType::kAlreadyRevoked, "alreadyRevoked", 400},
      {ProblemType::kMalformed, "malformed", 400},
      {ProblemType::kBadCsr, "badCSR", 400},
      {ProblemType::kOrderNotReady, "orderNotReady", 403},
      {ProblemType::kUserActionRequired, "userActionRequired", 403},
      {ProblemType::kUnauthorized, "unauthorized", 403},
      {ProblemType::kIncorrectResponse, "incorrectResponse", 403},
      {ProblemType::kCaa, "caa", 403},
      {ProblemType::kAlreadyReplaced, "alreadyReplaced", 409},
      {ProblemType::kRateLimited, "rateLimited", 429},
      {ProblemType::kServerInternal, "serverInternal", 500},
      {ProblemType::kInvalidProfile, "invalidProfile", 400},
      {ProblemType::kUnsupportedIdentifier, "unsupportedIdentifier", 400},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      CHECK(mockca::acme::TypeName(tc.type) == tc.name);
      CHECK(mockca::acme::TypeUrn(tc.type) == std::string("urn:ietf:params:acme:error:") + tc.name);
      CHECK(mockca::acme::MakeProblem(tc.type, "x").status == tc.status);
    }
  }
}

TEST_CASE("Factories with fixed statuses keep the malformed or unauthorized type",
          "[acme][problem]") {
  CHECK(mockca::acme::NotFound("x").status == 404);
  CHECK(mockca::acme::MethodNotAllowed("x").status == 405);
  CHECK(mockca::acme::UnsupportedMediaType("x").status == 415);
  CHECK(mockca::acme::UnsupportedMediaType("x").type == ProblemType::kMalformed);
  // RFC 8555 §7.3.6: a deactivated account gets 401 unauthorized.
  CHECK(mockca::acme::AccountDeactivated("x").status == 401);
  CHECK(mockca::acme::AccountDeactivated("x").type == ProblemType::kUnauthorized);
}

TEST_CASE("ToJson renders identifier subproblems and algorithms only when set", "[acme][problem]") {
  auto plain = mockca::acme::ToJson(mockca::acme::Malformed("bad"));
  CHECK(plain == nlohmann::json{{"type", "urn:ietf:params:acme:error:malformed"},
                                {"detail", "bad"},
                                {"status", 400}});

  auto sub = mockca::acme::MakeProblem(ProblemType::kRejectedIdentifier, "blocked");
  sub.identifier = mockca::acme::Identifier{"dns", "evil.example"};
  auto compound = mockca::acme::MakeProblem(ProblemType::kRejectedIdentifier, "2 identifiers");
  compound.subproblems = {sub, sub};
  const auto document = mockca::acme::ToJson(compound);
  REQUIRE(document["subproblems"].size() == 2);
  CHECK(document["subproblems"][0]["identifier"] ==
        nlohmann::json{{"type", "dns"}, {"value", "evil.example"}});
  CHECK_FALSE(document.contains("identifier"));

  // RFC 8555 §6.2: badSignatureAlgorithm lists the accepted algorithms.
  const auto algs = mockca::acme::ToJson(
      mockca::acme::BadSignatureAlgorithm("HS256 refused", {"ES256", "RS256"}));
  CHECK(algs["algorithms"] == nlohmann::json{"ES256", "RS256"});
}

TEST_CASE("ProblemTypeNamed reads a short name or a full ACME URN, nothing else", "[acme]") {
  using mockca::acme::ProblemType;
  using mockca::acme::ProblemTypeNamed;
  CHECK(ProblemTypeNamed("badNonce") == ProblemType::kBadNonce);
  CHECK(ProblemTypeNamed("urn:ietf:params:acme:error:rateLimited") == ProblemType::kRateLimited);
  CHECK(ProblemTypeNamed("userActionRequired") == ProblemType::kUserActionRequired);
  CHECK_FALSE(ProblemTypeNamed("badnonce").has_value());
  CHECK_FALSE(ProblemTypeNamed("urn:ietf:params:acme:error:").has_value());
  CHECK_FALSE(ProblemTypeNamed("https://example.com/problem").has_value());
}

}  // namespace

}  // namespace problem_test
