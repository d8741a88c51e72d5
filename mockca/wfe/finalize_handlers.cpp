#include "mockca/wfe/finalize_handlers.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.hpp"
#include "common/rfc3339.hpp"
#include "common/x509_builder.hpp"
#include "faults/fault_engine.hpp"
#include "mockca/ca/csr.hpp"
#include "mockca/jose/key_thumbprint.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/object_faults.hpp"
#include "mockca/wfe/object_json.hpp"
#include "mockca/wfe/paths.hpp"

namespace mockca::wfe {
namespace {

using nlohmann::json;

// What finalize and certificate download share.
struct Deps {
  store::MemoryStore& store;
  const JwsAuthenticator& auth;
  ca::CertificateAuthority& authority;
  AsyncRunner run_async;
  const common::Clock& clock;
  FinalizePolicy policy;
};

// The order id names, if it exists and belongs to account_id; else 404 with no existence oracle
// (S-PAG-03).
acme::Result<core::Order> OwnOrder(const store::MemoryStore& store, const std::string& id,
                                   const std::string& account_id) {
  auto order = store.GetOrder(id);
  if (!order || order->account_id != account_id) {
    return acme::NotFound("no order \"" + id + "\" for this account");
  }
  return std::move(order).value();
}

acme::Problem NotReady(std::string_view status) {
  return acme::MakeProblem(acme::ProblemType::kOrderNotReady,
                           "order is \"" + std::string(status) + "\", not \"ready\"");
}

// S-FIN-02..05: the CSR of the payload, checked against the order and every account key.
acme::Result<ca::CsrInfo> CheckedCsr(const AuthenticatedPost& post, const core::Order& order,
                                     const store::MemoryStore& store) {
  auto payload = DecodePayload(post);
  if (!payload) {
    return payload.error();
  }
  auto der = Base64UrlMember(*payload, "csr");
  if (!der) {
    return der.error();
  }
  auto csr = ca::ParseCsr(*der);
  if (!csr) {
    return csr.error();
  }
  if (acme::Status match = ca::CheckCsrAgainstOrder(*csr, order.identifiers, post.key.key.get());
      !match) {
    return match.error();
  }
  const std::string thumbprint = jose::KeyThumbprint(csr->public_key.get());
  if (!thumbprint.empty() && store.GetAccountByThumbprint(thumbprint)) {
    return acme::MakeProblem(acme::ProblemType::kBadCsr,
                             "the CSR's public key is an account key");  // S-FIN-04, S-ACCT-12
  }
  return std::move(csr).value();
}

// Records why issuance failed: the order then reads invalid (S-ORD-03).
void FailOrder(store::MemoryStore& store, const std::string& order_id, const std::string& why) {
  (void)store.UpdateOrder(order_id, [&why](core::Order& order) {
    if (!order.error) {
      order.error = acme::ServerInternal("issuance failed: " + why);
    }
    return acme::Status();
  });
}

// The issuance faults (faults::Stage::kIssuance) that fire at `where` ("finalize" or
// "certificate") for order.
std::vector<faults::Injection> IssuanceFaults(const Deps& deps, const RequestContext& context,
                                              const char* where, const core::Order& order) {
  return ObjectFaults(deps.policy.fault_engine, faults::Stage::kIssuance, context,
                      {where, order.id, order.account_id, IdentifierValues(order.identifiers)});
}

// F-FINALIZE-INVALID: the issuance task of a failIssuance rule: processing → invalid.
void InjectIssuanceFailure(store::MemoryStore& store, const std::string& order_id) {
  (void)store.UpdateOrder(order_id, [](core::Order& order) {
    if (!order.error) {
      order.error = acme::ServerInternal("injected issuance failure");
    }
    return acme::Status();
  });
}

// The PEM blocks of chain in reverse order, the leaf last (reorderChain).
std::string ReversedPem(const std::string& chain) {
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  std::vector<std::string> blocks;
  std::size_t at = 0;
  while (at < chain.size()) {
    std::size_t end = chain.find(kEnd, at);
    if (end == std::string::npos) {
      blocks.push_back(chain.substr(at));
      break;
    }
    end += kEnd.size();
    if (end < chain.size() && chain[end] == '\n') {
      ++end;
    }
    blocks.push_back(chain.substr(at, end - at));
    at = end;
  }
  std::string reversed;
  for (auto block = blocks.rbegin(); block != blocks.rend(); ++block) {
    reversed += *block;
  }
  return reversed;
}

// What the order's profile asks of issuance: the policy's validity and no CN without a profile.
// S-FIN-07: a profile that is no longer offered → invalidProfile.
acme::Result<core::Profile> ProfileOf(const core::Order& order, const FinalizePolicy& policy) {
  if (order.profile.empty()) {
    core::Profile none;
    none.validity = policy.validity;
    return none;
  }
  const auto found = policy.profiles.find(order.profile);
  if (found == policy.profiles.end()) {
    return acme::MakeProblem(
        acme::ProblemType::kInvalidProfile,
        "the order's profile " + json(order.profile).dump() + " is no longer offered");
  }
  return found->second;
}

// notBefore + validity - 1 s, saturated where the clock's range (nanoseconds: year 2262) ends:
// Pebble lets validityPeriod reach 9223372037 s, which would overflow it.
core::TimePoint EndOf(core::TimePoint start, std::chrono::seconds validity) {
  const auto room = std::chrono::duration_cast<std::chrono::seconds>(
      core::TimePoint::max() - std::max(start, core::TimePoint()));
  if (validity >= room) {
    return std::chrono::time_point_cast<std::chrono::seconds>(core::TimePoint::max());
  }
  return start + validity - std::chrono::seconds(1);
}

// The issuance task: runs through run_async after the finalize reply was decided.
void IssueAndStore(const Deps& deps, const core::Order& order, const ca::CsrInfo& csr,
                   const core::Profile& profile) {
  std::optional<core::TimePoint> not_before;
  std::optional<core::TimePoint> not_after;
  if (order.not_before) {
    not_before = common::ParseRfc3339(*order.not_before);
  }
  if (order.not_after) {
    not_after = common::ParseRfc3339(*order.not_after);
  }
  const core::TimePoint start = not_before.value_or(deps.clock.Now());
  const core::TimePoint end = not_after ? *not_after : EndOf(start, profile.validity);
  ca::LeafOptions leaf_options;
  leaf_options.promote_common_name = profile.promote_common_name;
  leaf_options.ocsp_responder_url = deps.policy.ocsp_responder_url;
  auto issued = deps.authority.Issue(csr, order.identifiers, start, end, leaf_options);
  if (!issued) {
    FailOrder(deps.store, order.id, issued.error().detail);
    return;
  }
  core::Certificate certificate;
  certificate.order_id = order.id;
  certificate.account_id = order.account_id;
  certificate.serial_hex = issued->serial_hex;
  certificate.der = issued->der;
  auto stored = deps.store.AddCertificate(std::move(certificate));
  if (!stored) {
    FailOrder(deps.store, order.id, stored.error().detail);
    return;
  }
  const std::string certificate_id = stored->id;
  auto updated = deps.store.UpdateOrder(order.id, [&certificate_id](core::Order& current) {
    current.certificate_id = certificate_id;
    return acme::Status();
  });
  if (!updated) {
    FailOrder(deps.store, order.id, updated.error().detail);  // e.g. it expired meanwhile
  }
}

acme::Result<http::Response> Finalize(const RequestContext& context,
                                      const std::shared_ptr<const Deps>& shared) {
  const Deps& deps = *shared;
  auto post = deps.auth.VerifyPost(context, KeyStyle::kKid);
  if (!post) {
    return post.error();
  }
  auto order = OwnOrder(deps.store, context.id, post->account->id);
  if (!order) {
    return order.error();
  }
  const auto status = deps.store.OrderStatusOf(order->id, deps.clock.Now());
  if (!status) {
    return acme::NotFound("no order \"" + context.id + "\" for this account");  // evicted
  }
  if (*status != core::OrderStatus::kReady) {
    return NotReady(core::Name(*status));  // S-FIN-01
  }
  auto profile = ProfileOf(*order, deps.policy);
  if (!profile) {
    return profile.error();  // S-FIN-07
  }
  auto csr = CheckedCsr(*post, *order, deps.store);
  if (!csr) {
    return csr.error();
  }
  // Check-then-set under the store lock: of two concurrent finalizes, one wins (S-FIN-01).
  auto processing = deps.store.UpdateOrder(order->id, [](core::Order& current) {
    if (current.error || !current.certificate_id.empty() || current.began_processing) {
      return acme::Status(NotReady(current.error                     ? "invalid"
                                   : !current.certificate_id.empty() ? "valid"
                                                                     : "processing"));
    }
    current.began_processing = true;
    return acme::Status();
  });
  if (!processing) {
    return processing.error();
  }
  auto reply = http::Response::Json(
      200, OrderJson(*processing, core::OrderStatus::kProcessing, context.base_url).dump());
  if (deps.policy.order_retry_after.count() > 0) {
    reply.With("Retry-After", std::to_string(deps.policy.order_retry_after.count()));  // S-ORD-10
  }
  if (FindFault(IssuanceFaults(deps, context, "finalize", *processing),
                faults::FaultKind::kFailIssuance) != nullptr) {
    deps.run_async([shared, order_id = processing->id] {
      InjectIssuanceFailure(shared->store, order_id);  // F-FINALIZE-INVALID
    });
    return reply;
  }
  // std::function needs a copyable task, and CsrInfo owns its key: share it.
  auto shared_csr = std::make_shared<const ca::CsrInfo>(std::move(csr).value());
  deps.run_async([shared, issuing = *processing, shared_csr, chosen = *profile] {
    IssueAndStore(*shared, issuing, *shared_csr, chosen);
  });
  return reply;
}

// What a certificate URL names: "<id>" is chain 0, "<id>/alternate/<n>" chain n (Pebble's paths,
// pebble.md §2.8). n is canonical decimal ("0" included, no sign or leading zero).
struct CertificatePath {
  std::string id;
  std::size_t chain = 0;
};

std::optional<CertificatePath> ParseCertificatePath(const std::string& rest) {
  constexpr std::string_view kAlternate = "/alternate/";
  const std::size_t slash = rest.find('/');
  if (slash == std::string::npos) {
    return CertificatePath{rest, 0};
  }
  if (slash == 0 || rest.compare(slash, kAlternate.size(), kAlternate) != 0) {
    return std::nullopt;
  }
  const std::string_view index = std::string_view(rest).substr(slash + kAlternate.size());
  if (index.empty() || index.size() > 6 || (index.size() > 1 && index.front() == '0') ||
      index.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return CertificatePath{rest.substr(0, slash), std::stoul(std::string(index))};
}

// The URL of chain `chain` of certificate id: chain 0 is the plain URL.
std::string ChainUrl(const std::string& base_url, const std::string& id, std::size_t chain) {
  std::string url = base_url + paths::kCertificate + id;
  return chain == 0 ? url : url + "/alternate/" + std::to_string(chain);
}

acme::Result<http::Response> Certificate(const RequestContext& context, const Deps& deps) {
  auto post = deps.auth.VerifyPost(context, KeyStyle::kKid);
  if (!post) {
    return post.error();
  }
  if (acme::Status empty = RequirePostAsGet(*post); !empty) {
    return empty.error();
  }
  const auto path = ParseCertificatePath(context.id);
  const auto certificate = path ? deps.store.GetCertificate(path->id) : std::nullopt;
  if (!certificate || certificate->account_id != post->account->id) {
    return acme::NotFound("no certificate \"" + context.id + "\" for this account");  // S-PAG-03
  }
  const std::size_t chains = deps.authority.ChainCount();
  if (path->chain >= chains) {
    // Pebble answers a bare 404; ours is a malformed problem like every other 404 (S-ERR-01).
    return acme::NotFound("certificate \"" + path->id + "\" has no alternate chain " +
                          std::to_string(path->chain));
  }
  http::Response reply;
  reply.status = 200;
  reply.With("Content-Type", "application/pem-certificate-chain; charset=utf-8");  // S-CERT-01
  // S-CERT-02: leaf first, then the chain's intermediates, no root. The store keeps the leaf's
  // DER; every chain comes from the CA.
  std::size_t served = path->chain;
  bool reorder = false;
  if (context.id.find('/') == std::string::npos) {  // faults act on the plain URL only
    if (const auto order = deps.store.GetOrder(certificate->order_id)) {
      const auto injections = IssuanceFaults(deps, context, "certificate", *order);
      if (const auto* alternate = FindFault(injections, faults::FaultKind::kAlternateChain);
          alternate != nullptr && alternate->fault.chain > 0 &&
          static_cast<std::size_t>(alternate->fault.chain) < chains) {
        served = static_cast<std::size_t>(alternate->fault.chain);  // F-ALT-CHAINS
      }
      reorder = FindFault(injections, faults::FaultKind::kReorderChain) != nullptr;
    }
  }
  reply.body = common::CertificateDerToPem(certificate->der) + deps.authority.ChainPem(served);
  if (reorder) {
    reply.body = ReversedPem(reply.body);
  }
  for (std::size_t other = 0; other < chains; ++other) {  // S-CERT-03: every other chain
    if (other != path->chain) {
      reply.With("Link", "<" + ChainUrl(context.base_url, path->id, other) + ">;rel=\"alternate\"");
    }
  }
  return reply;
}

}  // namespace

void AddFinalizeRoutes(Router& router, store::MemoryStore& store, const JwsAuthenticator& auth,
                       ca::CertificateAuthority& authority, AsyncRunner run_async,
                       const common::Clock& clock, FinalizePolicy policy) {
  auto deps = std::make_shared<const Deps>(
      Deps{store, auth, authority, std::move(run_async), clock, policy});
  router.Add(paths::kFinalize, {"POST"},
             [deps](const RequestContext& context) { return Finalize(context, deps); });
  router.Add(
      paths::kCertificate, {"POST"},
      [deps](const RequestContext& context) { return Certificate(context, *deps); },
      IdShape::kSegments);
}

}  // namespace mockca::wfe
