#pragma once

#include <string>
#include <vector>

#include "faults/fault_engine.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/wfe/router.hpp"

namespace mockca::wfe {

// The ACME object a state or issuance fault concerns (faults::Facts for stages kState and
// kIssuance): its kind ("order", "authz", "challenge", "finalize", "certificate"), id, owner and
// identifiers.
struct FaultedObject {
  const char* where;
  const std::string& id;
  const std::string& account_id;
  std::vector<std::string> identifiers;
};

// The identifier values of identifiers, for FaultedObject::identifiers.
std::vector<std::string> IdentifierValues(const std::vector<acme::Identifier>& identifiers);

// The faults that fire at `stage` for this request (a POST) on object; none without an engine or
// with no rules (the idle fast path).
std::vector<faults::Injection> ObjectFaults(faults::FaultEngine* engine, faults::Stage stage,
                                            const RequestContext& context,
                                            const FaultedObject& object);

// The first injection of that kind, or nullptr.
const faults::Injection* FindFault(const std::vector<faults::Injection>& injections,
                                   faults::FaultKind kind);

}  // namespace mockca::wfe
