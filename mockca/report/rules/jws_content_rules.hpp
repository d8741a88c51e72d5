#pragma once

#include "mockca/report/records.hpp"

// The C-JWS judges about what a signed POST carries rather than how it is signed; JwsRules()
// (jws_rules.cpp) lists them.
namespace mockca::report::rules {

Finding JudgeContentType(const ClientRecord& client);   // C-JWS-06
Finding JudgePublicJwk(const ClientRecord& client);     // C-JWS-07
Finding JudgeLegacyFields(const ClientRecord& client);  // C-JWS-09

}  // namespace mockca::report::rules
