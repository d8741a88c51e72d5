#include "mockca/va/faulty_validation.hpp"

#include <optional>
#include <string>
#include <utility>

#include "faults/fault_engine.hpp"

namespace mockca::va {

acme::Problem InjectedProblem(std::string_view problem_type, std::string_view detail,
                              std::string_view rule_id) {
  const std::optional<acme::ProblemType> type = acme::ProblemTypeNamed(problem_type);
  std::string text = detail.empty()
                         ? "injected validation failure (rule " + std::string(rule_id) + ")"
                         : std::string(detail);
  if (!type && !problem_type.empty()) {
    text += " [type " + std::string(problem_type) + "]";
  }
  return acme::MakeProblem(type.value_or(acme::ProblemType::kIncorrectResponse), std::move(text));
}

FaultInjectingValidator::FaultInjectingValidator(ValidationService& inner,
                                                 faults::FaultEngine* engine)
    : inner_(inner), engine_(engine) {}

void FaultInjectingValidator::Submit(ValidationJob job, std::function<void(acme::Status)> done) {
  if (engine_ == nullptr || engine_->Idle()) {
    inner_.Submit(std::move(job), std::move(done));
    return;
  }
  faults::Facts facts;
  facts.where = job.challenge_type;
  facts.identifiers = {job.identifier.value};
  facts.account = job.account_url;
  facts.subject = job.challenge_type + " " + job.identifier.value;
  std::optional<acme::Problem> injected;
  for (const faults::Injection& injection : engine_->Match(faults::Stage::kValidation, facts)) {
    if (injection.fault.kind == faults::FaultKind::kFailValidation && !injected) {
      injected =
          InjectedProblem(injection.fault.problem_type, injection.fault.detail, injection.rule_id);
    }
  }
  if (!injected) {
    inner_.Submit(std::move(job), std::move(done));
    return;
  }
  inner_.Submit(std::move(job), [done = std::move(done), problem = std::move(*injected)](
                                    const acme::Status& /*inner_result*/) { done(problem); });
}

}  // namespace mockca::va
