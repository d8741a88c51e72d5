#include "mockca/wfe/challenge_handlers.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "faults/fault_engine.hpp"
#include "mockca/va/key_authorization.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/object_faults.hpp"
#include "mockca/wfe/object_json.hpp"
#include "mockca/wfe/paths.hpp"
#include "mockca/wfe/urls.hpp"

namespace mockca::wfe {
namespace {

struct Deps {
  store::MemoryStore& store;
  const JwsAuthenticator& auth;
  va::ValidationService& validator;
  const common::Clock& clock;
  ChallengePolicy policy;
};

http::Response Reply(const core::Challenge& challenge, const std::string& authz_id,
                     const std::string& base_url, const ChallengePolicy& policy) {
  http::Response response = http::Response::Json(200, ChallengeJson(challenge, base_url).dump(2));
  response.With("Link", "<" + AuthzUrl(base_url, authz_id) + ">;rel=\"up\"");  // S-LINK-02
  if (challenge.status == core::ChallengeStatus::kProcessing &&
      policy.processing_retry_after.count() > 0) {
    response.With("Retry-After", std::to_string(policy.processing_retry_after.count()));
  }
  return response;
}

// F-FINALIZE-ASYNC (challenge form): whether a stuckProcessing rule holds this final challenge
// as processing for this read.
bool StuckProcessing(const Deps& deps, const RequestContext& context, const core::Account& account,
                     const core::Authorization& authz, const core::Challenge& challenge) {
  if (challenge.status != core::ChallengeStatus::kValid &&
      challenge.status != core::ChallengeStatus::kInvalid) {
    return false;
  }
  return FindFault(ObjectFaults(deps.policy.fault_engine, faults::Stage::kState, context,
                                {"challenge", challenge.id, account.id, {authz.identifier.value}}),
                   faults::FaultKind::kStuckProcessing) != nullptr;
}

// A POST-as-GET of a challenge (RFC 8555 §7.5.1): as stored, or as processing while held.
http::Response ReadReply(const Deps& deps, const RequestContext& context,
                         const core::Account& account, const core::Authorization& authz,
                         const store::FoundChallenge& found) {
  if (!StuckProcessing(deps, context, account, authz, found.challenge)) {
    return Reply(found.challenge, found.authz_id, context.base_url, deps.policy);
  }
  core::Challenge shown = found.challenge;
  shown.status = core::ChallengeStatus::kProcessing;
  shown.validated.reset();
  shown.error.reset();
  ChallengePolicy policy = deps.policy;
  if (policy.processing_retry_after.count() <= 0) {
    policy.processing_retry_after = std::chrono::seconds(1);
  }
  return Reply(shown, found.authz_id, context.base_url, policy);
}

// Records the validation result (S-AUTHZ-03, S-CHAL-07) unless the authorization or the challenge
// left the state validation started from.
void Complete(const Deps& deps, const std::string& authz_id, const std::string& challenge_id,
              const acme::Status& result) {
  const core::TimePoint now = deps.clock.Now();
  const auto written =
      deps.store.UpdateAuthorization(authz_id, [&](core::Authorization& authz) -> acme::Status {
        core::Challenge* challenge = core::FindChallenge(authz, challenge_id);
        if (challenge == nullptr || challenge->status != core::ChallengeStatus::kProcessing ||
            core::EffectiveStatus(authz, now) != core::AuthzStatus::kPending) {
          return acme::Malformed("authorization " + authz_id + " changed during validation");
        }
        if (result.ok()) {
          challenge->status = core::ChallengeStatus::kValid;
          challenge->validated = now;
          authz.status = core::AuthzStatus::kValid;
          authz.expires = now + deps.policy.valid_authz_lifetime;
        } else {
          challenge->status = core::ChallengeStatus::kInvalid;
          challenge->error = std::make_shared<const acme::Problem>(result.error());
          authz.status = core::AuthzStatus::kInvalid;
        }
        return {};
      });
  static_cast<void>(written);  // a refused write means the result is stale: drop it
}

// S-CHAL-03: pending → processing, atomically, then the job goes to the VA.
acme::Result<http::Response> StartValidation(const Deps& deps, const RequestContext& context,
                                             const core::Account& account,
                                             const std::string& authz_id,
                                             const std::string& challenge_id) {
  bool already_processing = false;
  auto updated =
      deps.store.UpdateAuthorization(authz_id, [&](core::Authorization& authz) -> acme::Status {
        core::Challenge* challenge = core::FindChallenge(authz, challenge_id);
        if (challenge == nullptr) {
          return acme::NotFound("no challenge " + challenge_id);
        }
        if (core::EffectiveStatus(authz, deps.clock.Now()) != core::AuthzStatus::kPending) {
          return acme::Malformed("the authorization is no longer pending");
        }
        if (challenge->status == core::ChallengeStatus::kProcessing) {
          already_processing = true;  // a concurrent POST started it
          return acme::Malformed("already processing");
        }
        if (challenge->status != core::ChallengeStatus::kPending) {
          return acme::Malformed("the challenge is " + std::string(core::Name(challenge->status)));
        }
        challenge->status = core::ChallengeStatus::kProcessing;
        return {};
      });
  if (!updated && !already_processing) {
    return updated.error();
  }
  const auto authz = updated ? std::optional<core::Authorization>(*updated)
                             : deps.store.GetAuthorization(authz_id);
  const core::Challenge* challenge = authz ? core::FindChallenge(*authz, challenge_id) : nullptr;
  if (challenge == nullptr) {
    return acme::NotFound("no challenge " + challenge_id);
  }
  if (updated) {
    va::ValidationJob job{authz->identifier, challenge->type, challenge->token,
                          va::KeyAuthorization(challenge->token, account.key_thumbprint),
                          AccountUrl(context.base_url, account.id)};
    deps.validator.Submit(std::move(job), [deps, authz_id, challenge_id](acme::Status result) {
      Complete(deps, authz_id, challenge_id, result);
    });
  }
  return Reply(*challenge, authz_id, context.base_url, deps.policy);
}

acme::Result<http::Response> ChallengePost(const Deps& deps, const RequestContext& context) {
  auto post = deps.auth.VerifyPost(context, KeyStyle::kKid);
  if (!post) {
    return post.error();
  }
  const core::Account& account = *post->account;
  const auto found = deps.store.FindChallenge(context.id);
  const auto authz = found ? deps.store.GetAuthorization(found->authz_id) : std::nullopt;
  if (!found || !authz || authz->account_id != account.id) {
    return acme::NotFound("no challenge " + context.id);  // S-PAG-03: unknown or foreign alike
  }
  if (post->post_as_get()) {
    return ReadReply(deps, context, account, *authz, *found);  // RFC 8555 §7.5.1
  }
  auto payload = DecodePayload(*post);
  if (!payload) {
    return payload.error();  // any object is accepted, its members ignored (S-CHAL-03)
  }
  if (deps.policy.strict && !payload->empty()) {
    // Pebble's -strict: RFC 8555 §7.5.1's body is {} (Pebble compares the bytes; whitespace
    // inside an empty object is accepted here).
    return acme::Malformed("strict mode: a challenge response body must be {}, not " +
                           payload->dump());
  }
  const core::AuthzStatus authz_status = core::EffectiveStatus(*authz, deps.clock.Now());
  if (authz_status != core::AuthzStatus::kPending) {
    return acme::Malformed("the authorization is " + std::string(core::Name(authz_status)) +
                           ", not pending");  // S-CHAL-04
  }
  switch (found->challenge.status) {
    case core::ChallengeStatus::kProcessing:
      return Reply(found->challenge, found->authz_id, context.base_url,
                   deps.policy);  // S-CHAL-05: a retry
    case core::ChallengeStatus::kValid:
    case core::ChallengeStatus::kInvalid:
      return acme::Malformed("the challenge is " +
                             std::string(core::Name(found->challenge.status)) +
                             ": it cannot be retried");  // S-CHAL-05
    case core::ChallengeStatus::kPending:
      break;
  }
  return StartValidation(deps, context, account, found->authz_id, context.id);
}

}  // namespace

void AddChallengeRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                        va::ValidationService& validator, const common::Clock& clock,
                        ChallengePolicy policy) {
  Deps deps{store, auth, validator, clock, policy};
  router.Add(paths::kChallenge, {"POST"},
             [deps](const RequestContext& context) { return ChallengePost(deps, context); });
}

}  // namespace mockca::wfe
