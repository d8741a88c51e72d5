#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.hpp"
#include "common/result.hpp"

namespace mockca::acme {

// An ACME identifier (RFC 8555 §9.7.7; "ip" per RFC 8738).
struct Identifier {
  std::string type;  // "dns" or "ip"
  std::string value;
  bool operator==(const Identifier&) const = default;
};

// Every problem type mockca emits: RFC 8555 §6.7, plus alreadyReplaced (RFC 9773) and
// invalidProfile (draft-ietf-acme-profiles). conformance.md §1.3 gives the statuses.
enum class ProblemType {
  kAccountDoesNotExist,
  kAlreadyReplaced,
  kAlreadyRevoked,
  kBadCsr,
  kBadNonce,
  kBadPublicKey,
  kBadRevocationReason,
  kBadSignatureAlgorithm,
  kCaa,
  kCompound,
  kConnection,
  kDns,
  kExternalAccountRequired,
  kIncorrectResponse,
  kInvalidContact,
  kInvalidProfile,
  kMalformed,
  kOrderNotReady,
  kRateLimited,
  kRejectedIdentifier,
  kServerInternal,
  kTls,
  kUnauthorized,
  kUnsupportedContact,
  kUnsupportedIdentifier,
  kUserActionRequired,
};

// A problem document (RFC 7807 as used by RFC 8555 §6.7): the error type of every client-caused
// failure. Build it with the factories below so type and status come from one table.
struct Problem {
  ProblemType type = ProblemType::kServerInternal;
  std::string detail;
  int status = 500;
  std::optional<Identifier> identifier;
  std::vector<Problem> subproblems;
  std::vector<std::string> algorithms;  // badSignatureAlgorithm only (RFC 8555 §6.2)
};

template <typename T>
using Result = common::Result<T, Problem>;
using Status = common::Status<Problem>;

// "malformed" for kMalformed, and so on.
std::string_view TypeName(ProblemType type);
// "urn:ietf:params:acme:error:malformed".
std::string TypeUrn(ProblemType type);
// The type a short name ("malformed") or a full ACME URN names; nullopt for anything else.
std::optional<ProblemType> ProblemTypeNamed(std::string_view name_or_urn);
// The status a problem of this type carries unless a factory below says otherwise.
int DefaultStatus(ProblemType type);

// A problem of type with its default status.
Problem MakeProblem(ProblemType type, std::string detail);

Problem Malformed(std::string detail);
// malformed with 404 / 405 / 415 (RFC 8555 §6.2, §6.3; Pebble's NotFoundProblem).
Problem NotFound(std::string detail);
Problem MethodNotAllowed(std::string detail);
Problem UnsupportedMediaType(std::string detail);
Problem BadNonce(std::string detail);
Problem Unauthorized(std::string detail);
// unauthorized with 401, for a deactivated or revoked account (RFC 8555 §7.3.6).
Problem AccountDeactivated(std::string detail);
Problem BadSignatureAlgorithm(std::string detail, std::vector<std::string> algorithms);
Problem BadPublicKey(std::string detail);
Problem AccountDoesNotExist(std::string detail);
Problem ServerInternal(std::string detail);

// The JSON document: {"type","detail","status"[,"identifier"][,"subproblems"][,"algorithms"]}.
nlohmann::json ToJson(const Problem& problem);

}  // namespace mockca::acme
