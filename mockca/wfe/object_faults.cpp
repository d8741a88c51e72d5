#include "mockca/wfe/object_faults.hpp"

#include <algorithm>

#include "mockca/wfe/account_handlers.hpp"

namespace mockca::wfe {

std::vector<std::string> IdentifierValues(const std::vector<acme::Identifier>& identifiers) {
  std::vector<std::string> values;
  values.reserve(identifiers.size());
  for (const acme::Identifier& identifier : identifiers) {
    values.push_back(identifier.value);
  }
  return values;
}

std::vector<faults::Injection> ObjectFaults(faults::FaultEngine* engine, faults::Stage stage,
                                            const RequestContext& context,
                                            const FaultedObject& object) {
  if (engine == nullptr || engine->Idle()) {
    return {};
  }
  faults::Facts facts;
  facts.where = object.where;
  facts.method = "POST";
  facts.account = AccountUrl(context.base_url, object.account_id);
  facts.identifiers = object.identifiers;
  facts.subject = "POST " + context.request.Path();
  facts.object_id = object.id;
  return engine->Match(stage, facts);
}

const faults::Injection* FindFault(const std::vector<faults::Injection>& injections,
                                   faults::FaultKind kind) {
  const auto found = std::find_if(
      injections.begin(), injections.end(),
      [kind](const faults::Injection& injection) { return injection.fault.kind == kind; });
  return found == injections.end() ? nullptr : &*found;
}

}  // namespace mockca::wfe
