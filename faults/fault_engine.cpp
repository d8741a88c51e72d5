#include "faults/fault_engine.hpp"

#include <chrono>
#include <unordered_map>
#include <utility>

#include "common/ascii.hpp"
#include "common/rfc3339.hpp"

namespace faults {

namespace {

// Objects a stuckProcessing rule remembers; objects first seen beyond this are not held (they
// show their real status), which bounds memory under a long run.
constexpr std::size_t kMaxTrackedObjects = 100'000;

std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t Fnv1a(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return hash;
}

// The draw of a probabilistic rule for its nth matching request, in [0, 1): a pure function of
// (seed, rule id, n), so other requests and rules cannot shift it (reproducible runs).
double Draw(std::uint64_t seed, std::string_view rule_id, std::uint64_t n) {
  const std::uint64_t bits = SplitMix64(SplitMix64(seed ^ Fnv1a(rule_id)) + n);
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

std::string_view WithoutTrailingDot(std::string_view name) {
  return !name.empty() && name.back() == '.' ? name.substr(0, name.size() - 1) : name;
}

bool WhereMatches(const std::vector<std::string>& where, const std::string& at) {
  if (where.empty()) {
    return true;
  }
  for (const std::string& item : where) {
    if (item == "*" || item == at) {
      return true;
    }
  }
  return false;
}

// Whether the hook that asked can carry out a rule of this kind (several hooks share a stage).
bool HookServes(const Fault& fault, const Facts& facts) {
  switch (fault.kind) {
    case FaultKind::kInvalidNonce:
      return facts.method.empty();  // a nonce handed out
    case FaultKind::kBadNonce:
      return !facts.method.empty();  // a nonce redeemed
    case FaultKind::kNonceExpiry:
      return !facts.method.empty() && facts.nonce_age > std::chrono::seconds(fault.seconds);
    case FaultKind::kStuckProcessing:
      return facts.where == "order" || facts.where == "challenge";
    case FaultKind::kSetAuthzStatus:
      return facts.where == "authz";
    case FaultKind::kFailIssuance:
      return facts.where == "finalize";
    case FaultKind::kAlternateChain:
    case FaultKind::kReorderChain:
      return facts.where == "certificate";
    default:
      return true;
  }
}

// The filters of `when` (everything but the counting conditions).
bool FiltersHold(const Match& when, const Facts& facts) {
  if (when.method && !common::EqualsIgnoreCase(*when.method, facts.method)) {
    return false;
  }
  if (when.account && facts.account != *when.account &&
      !facts.account.ends_with("/" + *when.account)) {
    return false;
  }
  if (when.identifier) {
    bool any = false;
    for (const std::string& identifier : facts.identifiers) {
      any = any || common::EqualsIgnoreCase(identifier, *when.identifier);
    }
    if (!any) {
      return false;
    }
  }
  if (when.dns_name && !common::EqualsIgnoreCase(WithoutTrailingDot(*when.dns_name),
                                                 WithoutTrailingDot(facts.dns_name))) {
    return false;
  }
  return !when.dns_type || common::EqualsIgnoreCase(*when.dns_type, facts.dns_type);
}

nlohmann::json DecisionJson(const Decision& decision) {
  return {{"seq", decision.seq},        {"match", decision.match_index},
          {"rule", decision.rule_id},   {"fault", decision.fault},
          {"where", decision.where},    {"subject", decision.subject},
          {"account", decision.account}};
}

}  // namespace

struct FaultEngine::RuleState {
  FaultRule rule;
  std::uint64_t matched = 0;
  std::uint64_t fired = 0;
  std::unordered_map<std::string, std::uint64_t> reads;  // stuckProcessing: object id -> reads

  // Counts a request that passed the filters and says whether the rule fires for it.
  bool CountAndDecide(std::uint64_t seed, const Facts& facts) {
    const std::uint64_t n = ++matched;
    const faults::Match& when = rule.when;
    bool fires = (!when.nth || n == *when.nth) && (!when.every || n % *when.every == 0) &&
                 (!when.first || n <= *when.first) &&
                 (!when.probability || Draw(seed, rule.id, n) < *when.probability) &&
                 (!rule.times || fired < *rule.times);
    if (rule.what.kind == FaultKind::kStuckProcessing) {
      fires = fires && CountRead(facts.object_id);
    }
    if (fires) {
      ++fired;
    }
    return fires;
  }

  // F-FINALIZE-ASYNC: true for the first `polls` reads of each object.
  bool CountRead(const std::string& object_id) {
    auto it = reads.find(object_id);
    if (it == reads.end()) {
      if (reads.size() >= kMaxTrackedObjects) {
        return false;
      }
      it = reads.emplace(object_id, 0).first;
    }
    return ++it->second <= static_cast<std::uint64_t>(rule.what.polls);
  }
};

FaultEngine::FaultEngine(std::uint64_t seed, const common::Clock& clock, DecisionSink sink)
    : seed_(seed), clock_(clock), sink_(std::move(sink)) {}

FaultEngine::~FaultEngine() = default;

common::Result<std::string, std::string> FaultEngine::Add(FaultRule rule) {
  auto ids = AddAll({std::move(rule)});
  if (!ids) {
    return common::MakeErr(ids.error());
  }
  return ids->front();
}

common::Result<std::vector<std::string>, std::string> FaultEngine::AddAll(
    std::vector<FaultRule> rules) {
  std::lock_guard lock(mu_);
  const auto in_use = [this, &rules](const std::string& id, std::size_t before) {
    for (const RuleState& state : rules_) {
      if (state.rule.id == id) {
        return true;
      }
    }
    for (std::size_t i = 0; i < before; ++i) {
      if (rules[i].id == id) {
        return true;
      }
    }
    return false;
  };
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!rules[i].id.empty() && in_use(rules[i].id, i)) {
      return common::MakeErr("id: \"" + rules[i].id + "\" is already in use");
    }
  }
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    while (rules[i].id.empty()) {
      const std::string candidate = "r" + std::to_string(next_rule_++);
      if (!in_use(candidate, rules.size())) {
        rules[i].id = candidate;
      }
    }
    ids.push_back(rules[i].id);
  }
  for (FaultRule& rule : rules) {
    RuleState state;
    state.rule = std::move(rule);
    rules_.push_back(std::move(state));
  }
  rule_count_.store(rules_.size(), std::memory_order_relaxed);
  return ids;
}

bool FaultEngine::Remove(const std::string& id) {
  std::lock_guard lock(mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (it->rule.id == id) {
      rules_.erase(it);
      rule_count_.store(rules_.size(), std::memory_order_relaxed);
      return true;
    }
  }
  return false;
}

void FaultEngine::Clear() {
  std::lock_guard lock(mu_);
  rules_.clear();
  rule_count_.store(0, std::memory_order_relaxed);
}

void FaultEngine::ClearLog() {
  std::lock_guard lock(mu_);
  log_.clear();
}

std::vector<Injection> FaultEngine::Match(Stage stage, const Facts& facts) {
  std::vector<Injection> injections;
  if (Idle()) {
    return injections;
  }
  std::vector<Decision> decisions;
  {
    std::lock_guard lock(mu_);
    for (RuleState& state : rules_) {
      const FaultRule& rule = state.rule;
      if (StageOf(rule.what.kind) != stage || !WhereMatches(rule.where, facts.where) ||
          !HookServes(rule.what, facts) || !FiltersHold(rule.when, facts) ||
          !state.CountAndDecide(seed_, facts)) {
        continue;
      }
      decisions.push_back(Decision{next_seq_++, state.matched, rule.id, NameOf(rule.what.kind),
                                   facts.where, facts.subject, facts.account, clock_.Now(), stage});
      Record(decisions.back());
      injections.push_back(Injection{rule.id, rule.what});
    }
  }
  if (sink_) {
    for (const Decision& decision : decisions) {
      sink_(decision);
    }
  }
  return injections;
}

// The ring keeps log_[i].seq ≡ log_[0].seq + i (mod kLogCapacity), so once it is full the slot
// of a new decision, and of the oldest one, follow from log_[0].seq alone.
void FaultEngine::Record(Decision decision) {
  if (log_.size() < kLogCapacity) {
    log_.push_back(std::move(decision));
    return;
  }
  log_[(decision.seq - log_[0].seq) % kLogCapacity] = std::move(decision);
}

std::vector<Decision> FaultEngine::LogInOrder() const {
  std::vector<Decision> ordered;
  ordered.reserve(log_.size());
  const std::size_t oldest =
      log_.size() < kLogCapacity ? 0 : (next_seq_ - log_[0].seq) % kLogCapacity;
  for (std::size_t i = 0; i < log_.size(); ++i) {
    ordered.push_back(log_[(oldest + i) % log_.size()]);
  }
  return ordered;
}

nlohmann::json FaultEngine::RulesJson() const {
  std::lock_guard lock(mu_);
  nlohmann::json faults = nlohmann::json::array();
  for (const RuleState& state : rules_) {
    nlohmann::json rule = ToJson(state.rule);
    rule["matched"] = state.matched;
    rule["fired"] = state.fired;
    faults.push_back(std::move(rule));
  }
  return {{"seed", seed_}, {"faults", std::move(faults)}};
}

nlohmann::json FaultEngine::LogJson() const {
  std::vector<Decision> decisions;
  {
    std::lock_guard lock(mu_);
    decisions = LogInOrder();
  }
  nlohmann::json list = nlohmann::json::array();
  for (const Decision& decision : decisions) {
    nlohmann::json entry = DecisionJson(decision);
    entry["time"] = common::FormatRfc3339Millis(decision.time);
    list.push_back(std::move(entry));
  }
  return {{"decisions", std::move(list)}};
}

std::string FaultEngine::DecisionLines() const {
  std::vector<Decision> decisions;
  {
    std::lock_guard lock(mu_);
    decisions = LogInOrder();
  }
  std::string lines;
  for (const Decision& decision : decisions) {
    lines += DecisionJson(decision).dump();
    lines += '\n';
  }
  return lines;
}

}  // namespace faults
