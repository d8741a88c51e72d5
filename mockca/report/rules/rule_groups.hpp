#pragma once

#include <vector>

#include "mockca/report/rule.hpp"

// The client rules of conformance.md Part B, one function per area, each in conformance.md order.
// AllRules() (registry.cpp) concatenates them. Every judge is a pure function of the ClientRecord.
namespace mockca::report::rules {

std::vector<Rule> HttpRules();         // B.1: C-HTTP-01, -02, -06
std::vector<Rule> DirectoryRules();    // B.2: C-DIR-01
std::vector<Rule> NonceRules();        // B.3: C-NONCE-01, -02, -03, -04, -06
std::vector<Rule> JwsRules();          // B.4: C-JWS-01 .. -07, -09
std::vector<Rule> PagRules();          // B.5: C-PAG-01, -02
std::vector<Rule> AccountRules();      // B.6: C-ACCT-03, -08, -09
std::vector<Rule> KeyChangeRules();    // B.6: C-KEY-01 .. -04
std::vector<Rule> OrderRules();        // B.7: C-ORD-01, -02, -03, -07
std::vector<Rule> ChallengeRules();    // B.8: C-CHAL-02 .. -06 (with ProbeRules), -09
std::vector<Rule> ProbeRules();        // B.8 over the VA probe log: C-CHAL-03 .. -06
std::vector<Rule> FinalizeRules();     // B.9: C-FIN-03
std::vector<Rule> CertificateRules();  // B.10: C-CERT-01
std::vector<Rule> RateLimitRules();    // B.11: C-ERR-04, C-RL-01, C-RL-02
std::vector<Rule> RevocationRules();   // B.12: C-REV-01
std::vector<Rule> ExtensionRules();    // B.13: C-IP-01, C-ARI-02, C-PROF-01

}  // namespace mockca::report::rules
