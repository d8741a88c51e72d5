#include "mockca/core/objects.hpp"

#include <algorithm>

namespace mockca::core {

OrderFacts FactsFor(const Order& order, const std::vector<AuthzStatus>& effective) {
  OrderFacts facts;
  facts.expires = order.expires;
  facts.failed = order.error.has_value();
  facts.began_processing = order.began_processing;
  facts.has_certificate = !order.certificate_id.empty();
  facts.authzs = effective;
  return facts;
}

AuthzStatus EffectiveStatus(const Authorization& authz, TimePoint now) {
  return EffectiveAuthzStatus(authz.status, authz.expires, now);
}

const Challenge* FindChallenge(const Authorization& authz, const std::string& challenge_id) {
  auto it = std::find_if(authz.challenges.begin(), authz.challenges.end(),
                         [&](const Challenge& c) { return c.id == challenge_id; });
  return it == authz.challenges.end() ? nullptr : &*it;
}

Challenge* FindChallenge(Authorization& authz, const std::string& challenge_id) {
  auto it = std::find_if(authz.challenges.begin(), authz.challenges.end(),
                         [&](const Challenge& c) { return c.id == challenge_id; });
  return it == authz.challenges.end() ? nullptr : &*it;
}

}  // namespace mockca::core
