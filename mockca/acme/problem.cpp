#include "mockca/acme/problem.hpp"

#include <array>

namespace mockca::acme {
namespace {

struct TypeInfo {
  ProblemType type;
  std::string_view name;
  int status;
};

// The one table of names and default statuses (conformance.md §1.3).
constexpr std::array<TypeInfo, 26> kTypes = {{
    {ProblemType::kAccountDoesNotExist, "accountDoesNotExist", 400},
    {ProblemType::kAlreadyReplaced, "alreadyReplaced", 409},
    {ProblemType::kAlreadyRevoked, "alreadyRevoked", 400},
    {ProblemType::kBadCsr, "badCSR", 400},
    {ProblemType::kBadNonce, "badNonce", 400},
    {ProblemType::kBadPublicKey, "badPublicKey", 400},
    {ProblemType::kBadRevocationReason, "badRevocationReason", 400},
    {ProblemType::kBadSignatureAlgorithm, "badSignatureAlgorithm", 400},
    {ProblemType::kCaa, "caa", 403},
    {ProblemType::kCompound, "compound", 400},
    {ProblemType::kConnection, "connection", 400},
    {ProblemType::kDns, "dns", 400},
    {ProblemType::kExternalAccountRequired, "externalAccountRequired", 403},
    {ProblemType::kIncorrectResponse, "incorrectResponse", 403},
    {ProblemType::kInvalidContact, "invalidContact", 400},
    {ProblemType::kInvalidProfile, "invalidProfile", 400},
    {ProblemType::kMalformed, "malformed", 400},
    {ProblemType::kOrderNotReady, "orderNotReady", 403},
    {ProblemType::kRateLimited, "rateLimited", 429},
    {ProblemType::kRejectedIdentifier, "rejectedIdentifier", 400},
    {ProblemType::kServerInternal, "serverInternal", 500},
    {ProblemType::kTls, "tls", 400},
    {ProblemType::kUnauthorized, "unauthorized", 403},
    {ProblemType::kUnsupportedContact, "unsupportedContact", 400},
    {ProblemType::kUnsupportedIdentifier, "unsupportedIdentifier", 400},
    {ProblemType::kUserActionRequired, "userActionRequired", 403},
}};

constexpr std::string_view kUrnPrefix = "urn:ietf:params:acme:error:";

const TypeInfo& Info(ProblemType type) {
  for (const auto& info : kTypes) {
    if (info.type == type) {
      return info;
    }
  }
  return kTypes[static_cast<std::size_t>(ProblemType::kServerInternal)];
}

Problem WithStatus(ProblemType type, std::string detail, int status) {
  Problem problem = MakeProblem(type, std::move(detail));
  problem.status = status;
  return problem;
}

}  // namespace

std::string_view TypeName(ProblemType type) {
  return Info(type).name;
}

std::string TypeUrn(ProblemType type) {
  return std::string(kUrnPrefix) + std::string(TypeName(type));
}

std::optional<ProblemType> ProblemTypeNamed(std::string_view name_or_urn) {
  if (name_or_urn.starts_with(kUrnPrefix)) {
    name_or_urn.remove_prefix(kUrnPrefix.size());
  }
  for (const auto& info : kTypes) {
    if (info.name == name_or_urn) {
      return info.type;
    }
  }
  return std::nullopt;
}

int DefaultStatus(ProblemType type) {
  return Info(type).status;
}

Problem MakeProblem(ProblemType type, std::string detail) {
  Problem problem;
  problem.type = type;
  problem.detail = std::move(detail);
  problem.status = DefaultStatus(type);
  return problem;
}

Problem Malformed(std::string detail) {
  return MakeProblem(ProblemType::kMalformed, std::move(detail));
}
Problem NotFound(std::string detail) {
  return WithStatus(ProblemType::kMalformed, std::move(detail), 404);
}
Problem MethodNotAllowed(std::string detail) {
  return WithStatus(ProblemType::kMalformed, std::move(detail), 405);
}
Problem UnsupportedMediaType(std::string detail) {
  return WithStatus(ProblemType::kMalformed, std::move(detail), 415);
}
Problem BadNonce(std::string detail) {
  return MakeProblem(ProblemType::kBadNonce, std::move(detail));
}
Problem Unauthorized(std::string detail) {
  return MakeProblem(ProblemType::kUnauthorized, std::move(detail));
}
Problem AccountDeactivated(std::string detail) {
  return WithStatus(ProblemType::kUnauthorized, std::move(detail), 401);
}
Problem BadSignatureAlgorithm(std::string detail, std::vector<std::string> algorithms) {
  Problem problem = MakeProblem(ProblemType::kBadSignatureAlgorithm, std::move(detail));
  problem.algorithms = std::move(algorithms);
  return problem;
}
Problem BadPublicKey(std::string detail) {
  return MakeProblem(ProblemType::kBadPublicKey, std::move(detail));
}
Problem AccountDoesNotExist(std::string detail) {
  return MakeProblem(ProblemType::kAccountDoesNotExist, std::move(detail));
}
Problem ServerInternal(std::string detail) {
  return MakeProblem(ProblemType::kServerInternal, std::move(detail));
}

nlohmann::json ToJson(const Problem& problem) {
  nlohmann::json document = {
      {"type", TypeUrn(problem.type)}, {"detail", problem.detail}, {"status", problem.status}};
  if (problem.identifier) {
    document["identifier"] = {{"type", problem.identifier->type},
                              {"value", problem.identifier->value}};
  }
  if (!problem.subproblems.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& sub : problem.subproblems) {
      list.push_back(ToJson(sub));
    }
    document["subproblems"] = std::move(list);
  }
  if (!problem.algorithms.empty()) {
    document["algorithms"] = problem.algorithms;
  }
  return document;
}

}  // namespace mockca::acme
