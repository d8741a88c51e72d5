#include "mockca/report/report_json.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <unordered_map>
#include <utility>

#include "common/rfc3339.hpp"
#include "mockca/report/report_part_b.hpp"
#include "mockca/report/rule.hpp"
#include "mockca/report/session_log_json.hpp"

namespace mockca::report {

namespace {

using json = nlohmann::json;

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// FAIL first: the order a client author reads the findings in.
int VerdictRank(Verdict verdict) {
  switch (verdict) {
    case Verdict::kFail:
      return 0;
    case Verdict::kWarn:
      return 1;
    case Verdict::kNote:
      return 2;
    case Verdict::kPass:
      return 3;
    case Verdict::kNotTested:
      return 4;
  }
  return 5;
}

constexpr Verdict kVerdictsInOrder[] = {Verdict::kFail, Verdict::kWarn, Verdict::kNote,
                                        Verdict::kPass, Verdict::kNotTested};

// A finding with what the report adds to it, and where it sorts.
struct Row {
  Finding finding;
  std::string requirement;
  std::size_t spec_index = 0;  // position in PartBItems(); past the end for unknown ids
};

std::vector<Row> SortedRows(const ClientRecord& client, const std::vector<Rule>& rules) {
  const std::vector<PartBItem>& items = PartBItems();
  std::vector<bool> judged(items.size(), false);
  std::vector<Row> rows;
  for (const Rule& rule : rules) {
    Row row{JudgeSafely(rule, client), rule.requirement, items.size()};
    if (row.finding.level.empty()) {
      row.finding.level = rule.level;
    }
    // Index by the rule's own id: a finding naming another rule must not hide that one.
    if (auto index = PartBIndexOf(rule.id)) {
      row.spec_index = *index;
      judged[*index] = true;
    }
    rows.push_back(std::move(row));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!judged[i]) {
      const PartBItem& item = items[i];
      rows.push_back(Row{Finding{item.id, Verdict::kNotTested, item.level, "not implemented", {}},
                         item.requirement, i});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    const int rank_a = VerdictRank(a.finding.verdict);
    const int rank_b = VerdictRank(b.finding.verdict);
    return rank_a != rank_b ? rank_a < rank_b : a.spec_index < b.spec_index;
  });
  return rows;
}

json EvidenceJson(std::uint64_t id,
                  const std::unordered_map<std::uint64_t, const Exchange*>& by_id) {
  const auto found = by_id.find(id);
  if (found == by_id.end()) {
    // Dropped by the recorder's cap: the id still names the request.
    return {
        {"id", id}, {"method", nullptr}, {"url", nullptr}, {"status", nullptr}, {"time", nullptr}};
  }
  const Exchange& exchange = *found->second;
  return {{"id", id},
          {"method", ValidUtf8(exchange.method)},
          {"url", ValidUtf8(exchange.url)},
          {"status", exchange.status},
          {"time", common::FormatRfc3339Millis(exchange.received)}};
}

json FindingJson(const Row& row, const std::unordered_map<std::uint64_t, const Exchange*>& by_id) {
  json evidence = json::array();
  for (const std::uint64_t id : row.finding.evidence) {
    evidence.push_back(EvidenceJson(id, by_id));
  }
  return {
      {"rule", ValidUtf8(row.finding.rule)},       {"verdict", VerdictName(row.finding.verdict)},
      {"level", ValidUtf8(row.finding.level)},     {"requirement", ValidUtf8(row.requirement)},
      {"summary", ValidUtf8(row.finding.summary)}, {"evidence", std::move(evidence)}};
}

json TimelineEntryJson(const Exchange& exchange) {
  json faults = json::array();
  for (const std::string& rule : exchange.fault_rules) {
    faults.push_back(ValidUtf8(rule));
  }
  return {{"id", exchange.id},
          {"time", common::FormatRfc3339Millis(exchange.received)},
          {"method", ValidUtf8(exchange.method)},
          {"url", ValidUtf8(exchange.url)},
          {"kind", ValidUtf8(exchange.kind)},
          {"status", exchange.status},
          {"brokenDelivery", exchange.broken_delivery},
          {"problem", ValidUtf8(exchange.problem_type)},
          {"key", exchange.jws ? ValidUtf8(exchange.jws->verifying_key) : std::string()},
          {"faults", std::move(faults)}};
}

json ClientJson(const ClientRecord& client, const std::vector<Rule>& rules,
                const json& engine_rules) {
  std::unordered_map<std::uint64_t, const Exchange*> by_id;
  json timeline = json::array();
  for (const Exchange& exchange : client.exchanges) {
    by_id.emplace(exchange.id, &exchange);
    timeline.push_back(TimelineEntryJson(exchange));
  }
  json summary = json::object();
  for (const Verdict verdict : kVerdictsInOrder) {
    summary[VerdictName(verdict)] = 0;
  }
  json findings = json::array();
  for (const Row& row : SortedRows(client, rules)) {
    summary[VerdictName(row.finding.verdict)] =
        summary[VerdictName(row.finding.verdict)].get<int>() + 1;
    findings.push_back(FindingJson(row, by_id));
  }
  return {{"id", ValidUtf8(client.id)},
          {"accountUrl", ValidUtf8(client.account_url)},
          {"userAgent", ValidUtf8(client.user_agent)},
          {"exchanges", client.exchanges.size()},
          {"dropped", client.dropped},
          {"activeFaults", FiredRulesJson(client, engine_rules)},
          {"summary", std::move(summary)},
          {"findings", std::move(findings)},
          {"timeline", std::move(timeline)},
          {"vaProbes", ProbesJson(client.probes)},
          {"stateHistory", StatusChangesJson(client.states)},
          {"faultEvents", FaultEventsJson(client.fault_events)}};
}

}  // namespace

nlohmann::json ReportJson(const std::vector<ClientRecord>& clients,
                          const nlohmann::json& active_faults, TimePoint generated) {
  return ReportJson(clients, active_faults, generated, AllRules());
}

nlohmann::json ReportJson(const std::vector<ClientRecord>& clients,
                          const nlohmann::json& active_faults, TimePoint generated,
                          const std::vector<Rule>& rules) {
  json client_list = json::array();
  for (const ClientRecord& client : clients) {
    client_list.push_back(ClientJson(client, rules, active_faults));
  }
  return {{"generated", common::FormatRfc3339(generated)},
          {"spec", "conformance.md Part B"},
          {"faults", active_faults},
          {"clients", std::move(client_list)}};
}

std::string ReportFileText(const std::vector<ClientRecord>& clients,
                           const nlohmann::json& active_faults, TimePoint generated) {
  return DumpReport(ReportJson(clients, active_faults, generated), 2) + "\n";
}

std::string DumpReport(const nlohmann::json& report, int indent) {
  return report.dump(indent, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
}

std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      out += static_cast<char>(lead);
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    std::uint32_t minimum = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
      minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
      minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
      minimum = 0x10000;
    } else {
      out += kReplacementCharacter;  // a stray continuation byte, or 0xF8..0xFF
      ++i;
      continue;
    }
    std::size_t taken = 1;
    while (taken < length && i + taken < text.size() &&
           (static_cast<unsigned char>(text[i + taken]) & 0xC0) == 0x80) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + taken]) & 0x3F);
      ++taken;
    }
    const bool valid = taken == length && code_point >= minimum && code_point <= 0x10FFFF &&
                       (code_point < 0xD800 || code_point > 0xDFFF);
    if (valid) {
      out.append(text.substr(i, length));
    } else {
      out += kReplacementCharacter;
    }
    i += taken;
  }
  return out;
}

}  // namespace mockca::report
