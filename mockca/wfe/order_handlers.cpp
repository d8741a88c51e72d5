#include "mockca/wfe/order_handlers.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.hpp"
#include "common/rfc3339.hpp"
#include "faults/fault_engine.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/ari_replaces.hpp"
#include "mockca/wfe/identifier_policy.hpp"
#include "mockca/wfe/object_faults.hpp"
#include "mockca/wfe/object_json.hpp"
#include "mockca/wfe/paths.hpp"
#include "mockca/wfe/urls.hpp"

namespace mockca::wfe {
namespace {

using nlohmann::json;

// What every handler gets: the shared parts, constant after AddOrderRoutes.
struct Deps {
  store::MemoryStore& store;
  const JwsAuthenticator& auth;
  const common::Clock& clock;
  OrderPolicy policy;
};

// S-PAG-03 POL: unknown and foreign objects look the same.
acme::Problem NoSuch(const char* kind, const std::string& id) {
  return acme::NotFound(std::string("no ") + kind + " \"" + id + "\" for this account");
}

http::Response WithRetryAfter(http::Response response, std::chrono::seconds after) {
  if (after.count() > 0) {
    response.With("Retry-After", std::to_string(after.count()));
  }
  return response;
}

// notBefore / notAfter (S-ORD-01, S-ORD-02): an RFC 3339 string or absent (null counts as
// absent).
acme::Result<std::optional<std::string>> OptionalTime(const json& payload, const char* name) {
  const auto it = payload.find(name);
  if (it == payload.end() || it->is_null()) {
    return std::optional<std::string>();
  }
  if (!it->is_string() || !common::ParseRfc3339(it->get_ref<const std::string&>())) {
    return acme::Malformed(std::string("\"") + name + "\" must be an RFC 3339 timestamp");
  }
  return std::optional<std::string>(it->get<std::string>());
}

// draft-ietf-acme-profiles §4: the profile named in the payload (null counts as absent), which
// must be offered (S-PROF-02); absent, the deterministic default (S-PROF-03). "" when the CA
// offers no profiles and none was named.
acme::Result<std::string> ChosenProfile(const json& payload, const core::ProfileTable& profiles) {
  const auto it = payload.find("profile");
  if (it == payload.end() || it->is_null()) {
    return core::DefaultProfileName(profiles).value_or("");
  }
  if (!it->is_string()) {
    return acme::Malformed("\"profile\" must be a string");
  }
  const std::string& name = it->get_ref<const std::string&>();
  if (profiles.contains(name)) {
    return name;
  }
  std::string offered;
  for (const auto& entry : profiles) {
    offered += (offered.empty() ? "" : ", ") + json(entry.first).dump();
  }
  return acme::MakeProblem(
      acme::ProblemType::kInvalidProfile,
      "profile " + it->dump() + " is not offered: " +
          (offered.empty() ? std::string("the directory advertises no profiles")
                           : "the directory's meta.profiles offers " + offered));
}

// Whether a lowercased dns name is blocked: equal to an entry or under it (label suffix), as
// Pebble's isBlocked. A wildcard is checked as written, so "*.x.example" is under "x.example".
bool Blocked(const std::string& name, const std::vector<std::string>& blocklist) {
  return std::any_of(blocklist.begin(), blocklist.end(), [&name](const std::string& blocked) {
    return name == blocked || (name.size() > blocked.size() && name.ends_with(blocked) &&
                               name[name.size() - blocked.size() - 1] == '.');
  });
}

// S-ORD-02 / S-ERR-03: one rejectedIdentifier subproblem, carrying its identifier, per blocked
// name; nullopt when none is.
std::optional<acme::Problem> BlockedProblem(const std::vector<ValidatedIdentifier>& identifiers,
                                            const std::vector<std::string>& blocklist) {
  std::vector<acme::Problem> subproblems;
  for (const ValidatedIdentifier& validated : identifiers) {
    if (validated.identifier.type == "dns" && Blocked(validated.identifier.value, blocklist)) {
      acme::Problem sub =
          acme::MakeProblem(acme::ProblemType::kRejectedIdentifier,
                            "the domain name \"" + validated.identifier.value +
                                "\" is blocked by this CA's policy (domainBlocklist)");
      sub.identifier = validated.identifier;
      subproblems.push_back(std::move(sub));
    }
  }
  if (subproblems.empty()) {
    return std::nullopt;
  }
  acme::Problem problem =
      acme::MakeProblem(acme::ProblemType::kRejectedIdentifier,
                        subproblems.size() == 1
                            ? subproblems.front().detail
                            : std::to_string(subproblems.size()) +
                                  " identifiers are blocked by this CA's policy; see subproblems");
  problem.subproblems = std::move(subproblems);
  return problem;
}

// PEBBLE_AUTHZREUSE: whether this identifier may reuse a valid authorization.
bool DrawReuse(const OrderPolicy& policy) {
  if (!policy.reuse_valid_authorizations || policy.authz_reuse_percent == 0) {
    return false;
  }
  if (policy.authz_reuse_percent >= 100 || policy.rng == nullptr) {
    return policy.authz_reuse_percent >= 100;
  }
  return policy.rng->Below(100) < policy.authz_reuse_percent;
}

// S-CHAL-12: the challenge types offered for an identifier.
std::vector<core::Challenge> ChallengesFor(const ValidatedIdentifier& validated) {
  std::vector<std::string> types;
  if (validated.wildcard) {
    types = {"dns-01"};
  } else if (validated.identifier.type == "ip") {
    types = {"http-01", "tls-alpn-01"};
  } else {
    types = {"http-01", "dns-01", "tls-alpn-01"};
  }
  std::vector<core::Challenge> challenges;
  challenges.reserve(types.size());  // kept as it is for the authorization's life
  for (std::string& type : types) {
    core::Challenge challenge;
    challenge.type = std::move(type);  // token left empty: the store draws 256 bits
    challenges.push_back(std::move(challenge));
  }
  return challenges;
}

acme::Result<http::Response> NewOrder(const RequestContext& context, const Deps& deps) {
  auto post = deps.auth.VerifyPost(context, KeyStyle::kKid);
  if (!post) {
    return post.error();
  }
  auto payload = DecodePayload(*post);  // S-PAG-02: POST-as-GET is malformed here
  if (!payload) {
    return payload.error();
  }
  const auto identifiers_it = payload->find("identifiers");
  auto identifiers =
      CheckOrderIdentifiers(identifiers_it == payload->end() ? json() : *identifiers_it);
  if (!identifiers) {
    return identifiers.error();
  }
  if (auto blocked = BlockedProblem(*identifiers, deps.policy.domain_blocklist)) {
    return *blocked;
  }
  auto not_before = OptionalTime(*payload, "notBefore");
  auto not_after = OptionalTime(*payload, "notAfter");
  if (!not_before || !not_after) {
    return !not_before ? not_before.error() : not_after.error();
  }
  if (*not_before && *not_after &&
      *common::ParseRfc3339(**not_after) <= *common::ParseRfc3339(**not_before)) {
    return acme::Malformed("\"notAfter\" must be later than \"notBefore\"");
  }
  auto profile = ChosenProfile(*payload, deps.policy.profiles);
  if (!profile) {
    return profile.error();
  }
  // RFC 9773 §5 `replaces` (S-ARI-05): vetted now, claimed atomically by AddOrder below.
  std::optional<std::string> replaces;
  std::string replaced_certificate_id;
  if (const auto replaces_it = payload->find("replaces"); replaces_it != payload->end()) {
    std::vector<acme::Identifier> ordered;
    for (const ValidatedIdentifier& validated : *identifiers) {
      ordered.push_back(validated.identifier);
    }
    auto checked = CheckReplaces(*replaces_it, *post->account, ordered, deps.store,
                                 deps.policy.ari_issuer_key_ids, deps.clock.Now());
    if (!checked) {
      return checked.error();
    }
    replaced_certificate_id = std::move(checked).value();
    replaces = replaces_it->get<std::string>();
  }

  const core::TimePoint now = deps.clock.Now();
  const std::string& account_id = post->account->id;
  core::Order order;
  order.account_id = account_id;
  order.expires = now + deps.policy.order_lifetime;
  order.not_before = *not_before;
  order.not_after = *not_after;
  order.profile = std::move(profile).value();
  order.replaces = std::move(replaces);
  std::vector<core::Authorization> new_authzs;
  for (const ValidatedIdentifier& validated : *identifiers) {
    order.identifiers.push_back(validated.identifier);
    const acme::Identifier covered = AuthzIdentifier(validated);
    if (DrawReuse(deps.policy)) {
      if (auto reused =
              deps.store.FindReusableAuthorization(account_id, covered, validated.wildcard, now)) {
        order.authz_ids.push_back(reused->id);  // S-ORD-09
        continue;
      }
    }
    core::Authorization authz;
    authz.account_id = account_id;
    authz.identifier = covered;  // S-AUTHZ-02: never with '*'
    authz.wildcard = validated.wildcard;
    authz.expires = now + deps.policy.pending_authz_lifetime;
    authz.challenges = ChallengesFor(validated);
    new_authzs.push_back(std::move(authz));
  }
  auto stored =
      deps.store.AddOrder(std::move(order), std::move(new_authzs), replaced_certificate_id);
  if (!stored) {
    return stored.error();
  }
  const auto status = deps.store.OrderStatusOf(stored->id, now);
  http::Response response = http::Response::Json(
      201,
      OrderJson(*stored, status.value_or(core::OrderStatus::kPending), context.base_url).dump(2));
  response.With("Location", OrderUrl(context.base_url, stored->id));  // S-ORD-01
  return response;
}

// S-ORD-03: an order that failed because an authorization's challenge failed carries that failure
// as its `error`: the challenge's type at the top, the challenge's problem with its identifier as
// the subproblem (S-ERR-03). nullopt when no challenge of the order's authorizations failed.
std::optional<acme::Problem> ChallengeFailureOf(const core::Order& order,
                                                const store::MemoryStore& store) {
  for (const std::string& authz_id : order.authz_ids) {
    const auto authz = store.GetAuthorization(authz_id);
    if (!authz || authz->status != core::AuthzStatus::kInvalid) {
      continue;
    }
    for (const core::Challenge& challenge : authz->challenges) {
      if (challenge.error) {
        acme::Problem sub = *challenge.error;
        sub.identifier = authz->identifier;
        acme::Problem problem =
            acme::MakeProblem(sub.type, "the " + challenge.type + " challenge for " +
                                            authz->identifier.value + " failed: " + sub.detail);
        problem.subproblems.push_back(std::move(sub));
        return problem;
      }
    }
  }
  return std::nullopt;
}

// F-FINALIZE-ASYNC: whether a stuckProcessing rule holds this valid order as processing.
bool StuckProcessing(const Deps& deps, const RequestContext& context, const core::Order& order) {
  return FindFault(ObjectFaults(
                       deps.policy.fault_engine, faults::Stage::kState, context,
                       {"order", order.id, order.account_id, IdentifierValues(order.identifiers)}),
                   faults::FaultKind::kStuckProcessing) != nullptr;
}

acme::Result<http::Response> GetOrder(const RequestContext& context, const Deps& deps) {
  auto post = deps.auth.VerifyPost(context, KeyStyle::kKid);
  if (!post) {
    return post.error();
  }
  // The status first, then the order: issuance sets certificate_id (never cleared) before the
  // status can read valid, so a valid status always comes with its certificate URL. Read the other
  // way round, an issuance finishing in between gave "valid" without "certificate".
  const core::TimePoint now = deps.clock.Now();
  const auto status = deps.store.OrderStatusOf(context.id, now);
  const auto order = deps.store.GetOrder(context.id);
  if (!order || !status || order->account_id != post->account->id) {
    return NoSuch("order", context.id);  // S-PAG-03
  }
  if (acme::Status fetch = RequirePostAsGet(*post); !fetch) {
    return fetch.error();  // S-PAG-02
  }
  core::Order shown = *order;
  if (*status == core::OrderStatus::kInvalid && !shown.error) {
    shown.error = ChallengeFailureOf(shown, deps.store);
  }
  if (*status == core::OrderStatus::kValid && StuckProcessing(deps, context, shown)) {
    shown.certificate_id.clear();
    http::Response held = http::Response::Json(
        200, OrderJson(shown, core::OrderStatus::kProcessing, context.base_url).dump(2));
    const std::chrono::seconds after = deps.policy.order_retry_after.count() > 0
                                           ? deps.policy.order_retry_after
                                           : std::chrono::seconds(1);
    return WithRetryAfter(std::move(held), after);
  }
  http::Response response =
      http::Response::Json(200, OrderJson(shown, *status, context.base_url).dump(2));
  if (*status == core::OrderStatus::kProcessing) {
    return WithRetryAfter(std::move(response), deps.policy.order_retry_after);  // S-ORD-10
  }
  return response;
}

// The page a `?page=N` query selects: 0 without one; nullopt when N is not a decimal number.
std::optional<std::size_t> PageOf(const std::string& target) {
  const auto query_at = target.find('?');
  if (query_at == std::string::npos) {
    return 0;
  }
  std::string_view query = std::string_view(target).substr(query_at + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    if (param.starts_with("page=")) {
      const std::string_view digits = param.substr(5);
      std::size_t page = 0;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), page);
      if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
      }
      return page;
    }
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return 0;
}

acme::Result<http::Response> ListOrders(const RequestContext& context, const Deps& deps) {
  auto post = deps.auth.VerifyPost(context, KeyStyle::kKid);
  if (!post) {
    return post.error();
  }
  if (post->account->id != context.id) {
    return NoSuch("orders list", context.id);  // S-PAG-03 POL: 404, not Pebble's 403
  }
  if (acme::Status fetch = RequirePostAsGet(*post); !fetch) {
    return fetch.error();  // S-PAG-02
  }
  const auto page = PageOf(context.request.target);
  if (!page) {
    return acme::NotFound("the page number must be a decimal number");
  }
  const store::OrderPage listed = deps.store.ListOrderIds(
      context.id, *page, std::max<std::size_t>(1, deps.policy.orders_per_page), deps.clock.Now());
  if (*page > 0 && listed.order_ids.empty()) {
    return acme::NotFound("no page " + std::to_string(*page) + " of orders");
  }
  json urls = json::array();
  for (const std::string& order_id : listed.order_ids) {
    urls.push_back(OrderUrl(context.base_url, order_id));
  }
  http::Response response = http::Response::Json(200, json{{"orders", urls}}.dump(2));
  if (listed.has_next) {  // S-LINK-04
    response.With("Link", "<" + OrdersListUrl(context.base_url, context.id) +
                              "?page=" + std::to_string(*page + 1) + ">;rel=\"next\"");
  }
  return response;
}

http::Response AuthzReply(const core::Authorization& authz, const Deps& deps,
                          const std::string& base_url) {
  const core::TimePoint now = deps.clock.Now();
  http::Response response =
      http::Response::Json(200, AuthorizationJson(authz, now, base_url).dump(2));
  const bool processing =
      core::EffectiveStatus(authz, now) == core::AuthzStatus::kPending &&
      std::any_of(authz.challenges.begin(), authz.challenges.end(), [](const core::Challenge& c) {
        return c.status == core::ChallengeStatus::kProcessing;
      });
  if (processing) {
    return WithRetryAfter(std::move(response), deps.policy.authz_retry_after);  // S-AUTHZ-05
  }
  return response;
}

// F-AUTHZ-EXPIRE / F-AUTHZ-REVOKE: a setAuthzStatus rule that fires for the read of a valid authz
// changes it in the store, for good. "invalid" becomes revoked: a valid authz may not turn invalid
// (RFC 8555 §7.1.6), and revoked is the server's own way out of valid. Returns the authz to show.
core::Authorization ApplyAuthzFaults(const Deps& deps, const RequestContext& context,
                                     const core::Authorization& authz) {
  const core::TimePoint now = deps.clock.Now();
  if (core::EffectiveStatus(authz, now) != core::AuthzStatus::kValid) {
    return authz;
  }
  const std::vector<faults::Injection> injections =
      ObjectFaults(deps.policy.fault_engine, faults::Stage::kState, context,
                   {"authz", authz.id, authz.account_id, {authz.identifier.value}});
  for (const faults::Injection& injection : injections) {
    if (injection.fault.kind != faults::FaultKind::kSetAuthzStatus) {
      continue;
    }
    const std::string& to = injection.fault.authz_status;
    auto updated = deps.store.UpdateAuthorization(authz.id, [&to, now](core::Authorization& a) {
      if (core::EffectiveStatus(a, now) != core::AuthzStatus::kValid) {
        return acme::Status(acme::Malformed("no longer valid"));  // changed meanwhile
      }
      if (to == "expired") {
        a.expires = now;  // expired is derived from expires, never stored
      } else if (to == "deactivated") {
        a.status = core::AuthzStatus::kDeactivated;
      } else {
        a.status = core::AuthzStatus::kRevoked;
      }
      return acme::Status();
    });
    if (updated) {
      return std::move(updated).value();
    }
    const auto current = deps.store.GetAuthorization(authz.id);  // changed by another request
    return current ? *current : authz;
  }
  return authz;
}

// S-AUTHZ-06: RFC 8555 §7.1.6 lets only a pending or valid authorization be deactivated.
acme::Result<http::Response> Deactivate(const RequestContext& context, const Deps& deps) {
  const core::TimePoint now = deps.clock.Now();
  auto updated = deps.store.UpdateAuthorization(context.id, [now](core::Authorization& authz) {
    const core::AuthzStatus status = core::EffectiveStatus(authz, now);
    if (status != core::AuthzStatus::kPending && status != core::AuthzStatus::kValid) {
      return acme::Status(acme::Malformed("an authorization that is " +
                                          std::string(core::Name(status)) +
                                          " cannot be deactivated"));
    }
    authz.status = core::AuthzStatus::kDeactivated;
    return acme::Status();
  });
  if (!updated) {
    if (updated.error().type == acme::ProblemType::kServerInternal) {
      return acme::Malformed("the authorization cannot be deactivated now: " +
                             updated.error().detail);
    }
    return updated.error();
  }
  return AuthzReply(*updated, deps, context.base_url);
}

acme::Result<http::Response> AuthzPost(const RequestContext& context, const Deps& deps) {
  auto post = deps.auth.VerifyPost(context, KeyStyle::kKid);
  if (!post) {
    return post.error();
  }
  const auto authz = deps.store.GetAuthorization(context.id);
  if (!authz || authz->account_id != post->account->id) {
    return NoSuch("authorization", context.id);  // S-PAG-03
  }
  if (post->post_as_get()) {
    return AuthzReply(ApplyAuthzFaults(deps, context, *authz), deps, context.base_url);
  }
  auto payload = DecodePayload(*post);
  if (!payload) {
    return payload.error();
  }
  const auto status = payload->find("status");
  if (status == payload->end() || *status != "deactivated") {
    return acme::Malformed("an authorization update may only be {\"status\":\"deactivated\"}");
  }
  return Deactivate(context, deps);
}

}  // namespace

void AddOrderRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                    const common::Clock& clock, OrderPolicy policy) {
  const Deps deps{store, auth, clock, policy};
  router.Add(paths::kNewOrder, {"POST"},
             [deps](const RequestContext& context) { return NewOrder(context, deps); });
  router.Add(paths::kOrder, {"POST"},
             [deps](const RequestContext& context) { return GetOrder(context, deps); });
  router.Add(paths::kOrdersList, {"POST"},
             [deps](const RequestContext& context) { return ListOrders(context, deps); });
  router.Add(paths::kAuthz, {"POST"},
             [deps](const RequestContext& context) { return AuthzPost(context, deps); });
}

}  // namespace mockca::wfe
