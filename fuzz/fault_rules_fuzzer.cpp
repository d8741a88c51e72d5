// faults::ParseFaultRules / ParseFaultRule, as POST /faults and --faults files feed them. The input
// is parsed as JSON; a rule object is also tried alone, as POST /faults accepts one.
// Oracles: every error is one non-empty line; every accepted rule has a "where" its stage can
// serve and round-trips: ParseFaultRule(ToJson(rule)) succeeds and gives the same JSON again; a
// list is accepted exactly when each of its rules is; the accepted rules load into an engine, and
// Match never returns more injections than there are rules.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "faults/fault_engine.hpp"
#include "faults/fault_rule.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

void CheckError(const std::string& error) {
  FUZZ_CHECK(!error.empty());
  FUZZ_CHECK(error.find('\n') == std::string::npos);
}

void CheckRoundTrip(const faults::FaultRule& rule) {
  FUZZ_CHECK(!rule.where.empty());
  const nlohmann::json canonical = faults::ToJson(rule);
  FUZZ_CHECK(canonical["where"].is_array());
  const auto again = faults::ParseFaultRule(canonical);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(faults::ToJson(again.value()) == canonical);
}

// Loads the rules into an engine and asks it about one request at every stage.
void Exercise(std::vector<faults::FaultRule> rules) {
  const common::FakeClock clock(std::chrono::system_clock::time_point{});
  faults::FaultEngine engine(1, clock);
  const std::size_t count = rules.size();
  if (!engine.AddAll(std::move(rules)).ok()) {
    return;  // two rules with one id: refused as a whole
  }
  faults::Facts facts;
  facts.method = "POST";
  facts.account = "https://ca.test/my-account/1";
  facts.identifiers = {"a.test"};
  facts.dns_name = "_acme-challenge.a.test";
  facts.dns_type = "TXT";
  facts.object_id = "o1";
  const std::pair<faults::Stage, const char*> stops[] = {
      {faults::Stage::kRequest, "newOrder"}, {faults::Stage::kResponse, "directory"},
      {faults::Stage::kNonce, "finalize"},   {faults::Stage::kValidation, "dns-01"},
      {faults::Stage::kState, "order"},      {faults::Stage::kIssuance, "certificate"},
      {faults::Stage::kDns, "dns"}};
  for (const auto& [stage, where] : stops) {
    facts.where = where;
    FUZZ_CHECK(engine.Match(stage, facts).size() <= count);
  }
  FUZZ_CHECK(engine.RulesJson()["faults"].size() == count);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const nlohmann::json json = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return 0;
  }
  if (json.is_object() && !json.contains("faults")) {
    const auto rule = faults::ParseFaultRule(json);
    if (rule) {
      CheckRoundTrip(rule.value());
    } else {
      CheckError(rule.error());
    }
  }
  auto rules = faults::ParseFaultRules(json);
  if (!rules) {
    CheckError(rules.error());
    return 0;
  }
  const nlohmann::json& list = json.is_array() ? json : json["faults"];
  FUZZ_CHECK(rules->size() == list.size());
  for (const faults::FaultRule& rule : rules.value()) {
    CheckRoundTrip(rule);
  }
  Exercise(std::move(rules).value());
  return 0;
}
