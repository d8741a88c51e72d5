#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "common/result.hpp"
#include "faults/fault_rule.hpp"

namespace faults {

// What a hook knows about the request it is handling; the engine matches rules against it.
struct Facts {
  std::string where;    // the endpoint kind, challenge type or "dns" (see FaultRule::where)
  std::string method;   // HTTP method, if any
  std::string account;  // the account URL, if the request is authenticated ("" otherwise)
  std::vector<std::string> identifiers;  // identifier values the request concerns
  std::string dns_name;                  // kDns: question name, lowercase, no trailing dot
  std::string dns_type;                  // kDns: "A", "TXT", ...
  std::string subject;    // for the log: "POST /order-plz/abc", "TXT _acme-challenge.a.test"
  std::string object_id;  // kState: the order / authz / challenge id; stuckProcessing fires
                          // for the first `polls` matching reads of each object
  std::chrono::milliseconds nonce_age{-1};  // kNonce, when a nonce is redeemed: its age
};

// A rule that fired for a request: the hook carries out `fault`.
struct Injection {
  std::string rule_id;
  Fault fault;
};

// One fired fault, as recorded. seq numbers the decisions from 1; the log is what a test reads to
// assert "the client saw the 503" (GET /faults/log).
struct Decision {
  std::uint64_t seq = 0;
  std::uint64_t match_index = 0;  // this rule's nth matching request (1-based)
  std::string rule_id;
  std::string fault;              // NameOf(kind)
  std::string where;              // Facts::where
  std::string subject;            // Facts::subject
  std::string account;            // Facts::account
  common::Clock::TimePoint time;  // when it fired (left out of DecisionLines)
  Stage stage = Stage::kRequest;  // the hook that carries it out (not in the log's JSON)
};

// Told of every decision as it is made (after the engine's lock is released, on the thread of the
// hook that matched). Must be thread-safe and must not call the engine.
using DecisionSink = std::function<void(const Decision&)>;

// The rules of one server (mockca, or mockdns, or both when mockca embeds mockdns and shares its
// engine) and every decision they produced.
//
// Reproducible: whether a probabilistic rule fires for its nth matching request is a pure
// function of (seed, rule id, n): a keyed hash, not a shared RNG stream, so concurrent requests
// of other clients or other rules cannot shift the draws. The same seed, rules and request
// sequence give the same decisions, and DecisionLines() the same bytes.
//
// Cost when idle: Match's first step is one relaxed atomic load; with no rules it returns at once.
// Thread-safe.
class FaultEngine {
 public:
  // REQUIRES: clock outlives the engine, and so does whatever sink refers to.
  FaultEngine(std::uint64_t seed, const common::Clock& clock, DecisionSink sink = {});
  ~FaultEngine();
  FaultEngine(const FaultEngine&) = delete;
  FaultEngine& operator=(const FaultEngine&) = delete;

  // Adds a rule; assigns "r<N>" when rule.id is empty. Errors: the id is already in use.
  common::Result<std::string, std::string> Add(FaultRule rule);
  // Adds every rule or none (POST /faults is all-or-nothing); returns their ids in order. Errors:
  // an id already in use, or given twice in `rules`.
  common::Result<std::vector<std::string>, std::string> AddAll(std::vector<FaultRule> rules);
  // Removes one rule; false when there is none with that id.
  bool Remove(const std::string& id);
  // Removes every rule (the decision log stays; ClearLog empties it).
  void Clear();
  void ClearLog();

  // The rules that take effect at `stage` and match facts (a kind fires only at the hook that can
  // carry it out: invalidNonce when a nonce is handed out (facts.method empty), badNonce and
  // nonceExpiry when one is redeemed (method set; nonceExpiry only for a nonce older than its
  // seconds), stuckProcessing at order/challenge reads, setAuthzStatus at authz reads,
  // failIssuance at finalize, the chain faults at certificate downloads), in the order they were
  // added, each counted as matched (and its `times` used up) only when it fires. A rule whose
  // `times` is used up stays listed (Rules) but no longer fires. Every firing is recorded as a
  // Decision.
  std::vector<Injection> Match(Stage stage, const Facts& facts);

  // True when no rule is set (the idle fast path of every hook).
  bool Idle() const { return rule_count_.load(std::memory_order_relaxed) == 0; }

  // {"faults": [rule JSON + "fired": n, "matched": n], "seed": s}
  nlohmann::json RulesJson() const;
  // {"decisions": [{"seq", "time" (RFC 3339), "rule", "fault", "where", "subject", "account",
  // "match"}]}; only the last kLogCapacity decisions are kept (the oldest are dropped).
  nlohmann::json LogJson() const;
  // The decisions without their times, one JSON object per line: byte-identical across runs with
  // the same seed, rules and requests.
  std::string DecisionLines() const;

  std::uint64_t seed() const { return seed_; }

  static constexpr std::size_t kLogCapacity = 10'000;

 private:
  struct RuleState;
  // REQUIRES: mu_ held.
  void Record(Decision decision);
  std::vector<Decision> LogInOrder() const;

  const std::uint64_t seed_;
  const common::Clock& clock_;
  const DecisionSink sink_;
  mutable std::mutex mu_;
  std::vector<RuleState> rules_;  // guarded by mu_
  std::vector<Decision> log_;     // guarded by mu_; a ring once kLogCapacity is reached
  std::uint64_t next_seq_ = 1;    // guarded by mu_
  std::uint64_t next_rule_ = 1;   // guarded by mu_
  std::atomic<std::size_t> rule_count_{0};
};

}  // namespace faults
