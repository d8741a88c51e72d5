#pragma once

#include <functional>
#include <string_view>

#include "mockca/acme/problem.hpp"
#include "mockca/va/validation_service.hpp"

namespace faults {
class FaultEngine;
}  // namespace faults

namespace mockca::va {

// The ValidationService with validation faults (faults::Stage::kValidation, conformance.md
// Part C F-CHAL-FAIL): a decorator around the real one.
//
// Submit asks engine once per validation attempt, on the caller's thread, with where = the
// challenge type, identifiers = {the identifier's value}, account = job.account_url and subject
// "<type> <identifier>". The job then goes to inner as usual (its sleeps and threads stay, and done
// is never called inline); when a "failValidation" rule fired, done gets that rule's problem
// (InjectedProblem) instead of inner's result. "Passes only on the Nth attempt" is a rule with
// when.first = N - 1.
//
// Thread-safe when inner is. REQUIRES: inner and engine (when set) outlive this object; with a
// null or idle engine Submit is inner's.
class FaultInjectingValidator final : public ValidationService {
 public:
  FaultInjectingValidator(ValidationService& inner, faults::FaultEngine* engine);
  FaultInjectingValidator(const FaultInjectingValidator&) = delete;
  FaultInjectingValidator& operator=(const FaultInjectingValidator&) = delete;

  void Submit(ValidationJob job, std::function<void(acme::Status)> done) override;

 private:
  ValidationService& inner_;
  faults::FaultEngine* const engine_;
};

// The problem a failValidation rule gives: problem_type as a full ACME URN or a short name ("" or
// a type mockca cannot represent: incorrectResponse, the type then named in the detail), with its
// default status; detail, or "injected validation failure (rule <rule_id>)" when empty.
acme::Problem InjectedProblem(std::string_view problem_type, std::string_view detail,
                              std::string_view rule_id);

}  // namespace mockca::va
