#include "mockca/report/report_html.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "mockca/report/report_diagram.hpp"
#include "mockca/report/report_json.hpp"

namespace mockca::report {

namespace {

using json = nlohmann::json;

// Colours per verdict: FAIL red, WARN orange, NOTE blue, PASS green, NOT-TESTED grey.
constexpr std::string_view kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 24px 48px;color:#1b1b1b}
h1{font-size:22px;margin:20px 0 4px}h2{font-size:18px;margin:28px 0 4px;word-break:break-all}
h3{font-size:15px;margin:18px 0 6px}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace}
.meta{color:#444;margin:2px 0;word-break:break-all}.note{color:#555;font-style:italic}
section.client{border-top:2px solid #ccc;margin-top:24px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-weight:600;
font-size:12px;margin-right:6px;white-space:nowrap}
.v-fail{background:#c62828}.v-warn{background:#e65100}.v-note{background:#1565c0}
.v-pass{background:#2e7d32}.v-not-tested{background:#757575}.v-other{background:#6a1b9a}
.badge.zero{opacity:.35}
table{border-collapse:collapse;margin:6px 0;width:100%;max-width:1200px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.rule{white-space:nowrap}.req{color:#666;font-size:12px}
td.evidence a{margin-right:6px}.gone{color:#999;margin-right:6px}
details{margin:8px 0}summary{cursor:pointer}
.timeline{overflow-x:auto}svg.seq{font-size:12px;background:#fff}
svg.seq .actor{fill:#eef2f7;stroke:#4a5a70}svg.seq text.actor{fill:#1b1b1b;stroke:none;font-weight:600}
svg.seq .life{stroke:#9aa5b1;stroke-dasharray:4 4}
svg.seq line.req{stroke:#263238;stroke-width:1.4}svg.seq line.res{stroke:#546e7a;stroke-dasharray:6 3}
svg.seq line.res.err{stroke:#c62828}svg.seq .head{fill:#37474f}svg.seq .head.err{fill:#c62828}
svg.seq text.res.err{fill:#c62828}svg.seq text.id,svg.seq text.time{fill:#555;font-family:monospace}
svg.seq text.fault{fill:#d50000;font-weight:700}svg.seq .hit{fill:transparent}
svg.seq line.va{stroke:#2e7d32;stroke-dasharray:2 3}svg.seq text.va{fill:#2e7d32;font-style:italic}
svg.seq line.va.err{stroke:#c62828}svg.seq text.va.err{fill:#c62828}
svg.seq g.ex:hover .hit{fill:#f5f7fa}svg.seq g.ex:target .hit{fill:#fff3b0}
)css";

const json& Member(const json& object, const char* key) {
  static const json kNull;  // const: shared read-only placeholder
  if (!object.is_object()) {
    return kNull;
  }
  const auto found = object.find(key);
  return found == object.end() ? kNull : *found;
}

std::string Str(const json& object, const char* key) {
  const json& value = Member(object, key);
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return value.is_number() || value.is_boolean() ? value.dump() : std::string();
}

std::uint64_t Unsigned(const json& value) {
  if (value.is_number_unsigned()) {
    return value.get<std::uint64_t>();
  }
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(value.get<std::int64_t>());
  }
  return 0;
}

// The elements of an array member; nothing for a missing or non-array member.
std::vector<json> Items(const json& object, const char* key) {
  const json& value = Member(object, key);
  return value.is_array() ? value.get<std::vector<json>>() : std::vector<json>{};
}

std::string VerdictClass(std::string_view verdict) {
  constexpr std::pair<std::string_view, std::string_view> kClasses[] = {
      {"FAIL", "v-fail"},
      {"WARN", "v-warn"},
      {"NOTE", "v-note"},
      {"PASS", "v-pass"},
      {"NOT-TESTED", "v-not-tested"}};
  for (const auto& [name, css_class] : kClasses) {
    if (verdict == name) {
      return std::string(css_class);
    }
  }
  return "v-other";  // the JSON came from elsewhere: never put its text in an attribute
}

std::string FaultsHtml(const json& faults) {
  std::string out;
  for (const json& rule : Items(faults, "faults")) {
    std::string where;
    for (const json& endpoint : Items(rule, "where")) {
      where +=
          (where.empty() ? "" : ",") + (endpoint.is_string() ? endpoint.get<std::string>() : "");
    }
    const std::string id = Str(rule, "id");
    out += "<li><code>" + HtmlEscape(id.empty() ? "(no id)" : id) + "</code> " +
           HtmlEscape(Str(rule, "fault")) + (where.empty() ? "" : " @ " + HtmlEscape(where)) +
           (Member(rule, "fired").is_number() ? ", fired " + HtmlEscape(Str(rule, "fired")) : "") +
           "</li>";
  }
  std::string seed = Str(faults, "seed");
  seed = seed.empty() ? "" : " (seed <code>" + HtmlEscape(seed) + "</code>)";
  if (out.empty()) {
    return "<p class=\"meta\">Faults active: none" + seed + "</p>\n";
  }
  return "<p class=\"meta\">Faults active" + seed + ":</p><ul>" + out + "</ul>\n";
}

std::string HeaderHtml(const json& report) {
  return "<header><h1>mockca client conformance report</h1>\n<p class=\"meta\">Generated " +
         HtmlEscape(Str(report, "generated")) +
         " &middot; rules: " + HtmlEscape(Str(report, "spec")) +
         "</p>\n<p class=\"meta\">FAIL: a MUST or security rule was broken &middot; WARN: a "
         "SHOULD was broken &middot; NOTE: a best practice was missed &middot; PASS: the "
         "situation arose without a violation &middot; NOT-TESTED: it never arose.</p>\n" +
         FaultsHtml(Member(report, "faults")) + "</header>\n";
}

std::string SummaryHtml(const json& summary) {
  std::string out = "<p class=\"summary\">";
  for (const char* verdict : {"FAIL", "WARN", "NOTE", "PASS", "NOT-TESTED"}) {
    const std::uint64_t count = Unsigned(Member(summary, verdict));
    out += "<span class=\"badge " + VerdictClass(verdict) + (count == 0 ? " zero" : "") + "\">" +
           verdict + " " + std::to_string(count) + "</span>";
  }
  return out + "</p>\n";
}

std::string EvidenceHtml(const json& finding, std::size_t client_index,
                         const std::set<std::uint64_t>& shown) {
  std::string out;
  for (const json& entry : Items(finding, "evidence")) {
    const std::uint64_t id = Unsigned(Member(entry, "id"));
    const std::string label = "#" + std::to_string(id);
    const std::string title =
        HtmlEscape(Str(entry, "time") + " " + Str(entry, "method") + " " + Str(entry, "url") +
                   " \xE2\x86\x90 " + Str(entry, "status"));
    if (shown.contains(id)) {
      out += "<a href=\"#" + ExchangeAnchor(client_index, id) + "\" title=\"" + title + "\">" +
             label + "</a>";
    } else {
      out +=
          "<span class=\"gone\" title=\"not in the diagram: " + title + "\">" + label + "</span>";
    }
  }
  return out;
}

std::string FindingRow(const json& finding, std::size_t client_index,
                       const std::set<std::uint64_t>& shown) {
  const std::string verdict = Str(finding, "verdict");
  return "<tr><td class=\"rule\"><code>" + HtmlEscape(Str(finding, "rule")) +
         "</code></td><td><span class=\"badge " + VerdictClass(verdict) + "\">" +
         HtmlEscape(verdict) + "</span></td><td>" + HtmlEscape(Str(finding, "level")) +
         "</td><td>" + HtmlEscape(Str(finding, "summary")) + "<div class=\"req\">" +
         HtmlEscape(Str(finding, "requirement")) + "</div></td><td class=\"evidence\">" +
         EvidenceHtml(finding, client_index, shown) + "</td></tr>\n";
}

std::string FindingsHtml(const json& client, std::size_t client_index,
                         const std::set<std::uint64_t>& shown) {
  constexpr std::string_view kHead =
      "<table><thead><tr><th>Rule</th><th>Verdict</th><th>Level</th><th>Finding</th>"
      "<th>Evidence</th></tr></thead><tbody>\n";
  std::string judged;
  std::string untested;
  std::size_t untested_count = 0;
  for (const json& finding : Items(client, "findings")) {
    if (Str(finding, "verdict") == "NOT-TESTED") {
      untested += FindingRow(finding, client_index, shown);
      ++untested_count;
    } else {
      judged += FindingRow(finding, client_index, shown);
    }
  }
  std::string out = "<h3>Findings</h3>\n";
  out += judged.empty() ? "<p class=\"note\">No rule found a situation to judge.</p>\n"
                        : std::string(kHead) + judged + "</tbody></table>\n";
  if (untested_count > 0) {
    out += "<details><summary>" + std::to_string(untested_count) +
           " rules NOT-TESTED (the situation never arose, or no rule judges it yet)</summary>" +
           std::string(kHead) + untested + "</tbody></table></details>\n";
  }
  return out;
}

DiagramExchange ToDiagramExchange(const json& entry) {
  DiagramExchange exchange{Unsigned(Member(entry, "id")),
                           Str(entry, "time"),
                           Str(entry, "method"),
                           Str(entry, "url"),
                           Str(entry, "kind"),
                           0,
                           Str(entry, "problem"),
                           {}};
  const json& status = Member(entry, "status");
  if (status.is_number_integer()) {
    exchange.status = static_cast<int>(status.get<std::int64_t>());
  }
  for (const json& fault : Items(entry, "faults")) {
    exchange.faults.push_back(fault.is_string() ? fault.get<std::string>() : fault.dump());
  }
  return exchange;
}

// The VA probes and below-router faults of client from `since` on (RFC 3339; "" for all), in
// time order, as the diagram draws them.
std::vector<DiagramEvent> DiagramEvents(const json& client, const std::string& since) {
  std::vector<DiagramEvent> events;
  for (const json& probe : Items(client, "vaProbes")) {
    const bool valid = Member(probe, "valid") == true;
    std::string outcome = valid ? "valid" : Str(probe, "problem");
    if (outcome.rfind("urn:ietf:params:acme:error:", 0) == 0) {
      outcome = outcome.substr(27);
    }
    events.push_back({DiagramEvent::Kind::kProbe, Str(probe, "time"),
                      "VA " + Str(probe, "challenge") + " " + Str(probe, "identifier") +
                          " \xE2\x86\x92 " + outcome,
                      "VA probe " + Str(probe, "time") + "\n" + Str(probe, "target") + "\n" +
                          (valid ? "valid" : Str(probe, "problem") + ": " + Str(probe, "detail")),
                      !valid});
  }
  for (const json& fault : Items(client, "faultEvents")) {
    events.push_back({DiagramEvent::Kind::kFault, Str(fault, "time"),
                      Str(fault, "rule") + " " + Str(fault, "fault"),
                      "fault " + Str(fault, "rule") + " (" + Str(fault, "fault") + ") at " +
                          Str(fault, "time") + "\n" + Str(fault, "subject"),
                      true});
  }
  std::erase_if(events, [&](const DiagramEvent& event) { return event.time < since; });
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.time < b.time; });
  return events;
}

// Each status change the client was served, as a collapsed table.
std::string StateHistoryHtml(const json& client) {
  const std::vector<json> states = Items(client, "stateHistory");
  if (states.empty()) {
    return {};
  }
  std::string rows;
  for (const json& change : states) {
    const std::string from = Str(change, "from");
    rows += "<tr><td class=\"mono\">#" + HtmlEscape(Str(change, "exchange")) + "</td><td>" +
            HtmlEscape(Str(change, "object")) + "</td><td class=\"mono\">" +
            HtmlEscape(Str(change, "url")) + "</td><td>" +
            (from.empty() ? std::string("(first seen)") : HtmlEscape(from)) + " \xE2\x86\x92 " +
            HtmlEscape(Str(change, "to")) + "</td></tr>\n";
  }
  return "<details><summary>State history: " + std::to_string(states.size()) +
         " status changes served</summary><table><thead><tr><th>Exchange</th><th>Object</th>"
         "<th>URL</th><th>Status</th></tr></thead><tbody>\n" +
         rows + "</tbody></table></details>\n";
}

std::string TimelineHtml(const std::vector<DiagramExchange>& shown,
                         const std::vector<DiagramEvent>& events, std::size_t total,
                         std::uint64_t dropped, std::size_t client_index) {
  std::string out = "<h3>Timeline</h3>\n";
  if (total > shown.size()) {
    out += "<p class=\"note\">The diagram shows the last " + std::to_string(shown.size()) + " of " +
           std::to_string(total) +
           " recorded exchanges; the JSON report (/conformance-report) has them all.</p>\n";
  }
  if (dropped > 0) {
    out += "<p class=\"note\">The recorder dropped " + std::to_string(dropped) +
           " older exchanges of this client.</p>\n";
  }
  if (shown.empty() && events.empty()) {
    return out + "<p class=\"note\">No exchange recorded.</p>\n";
  }
  return out + "<div class=\"timeline\">" + SequenceDiagramSvg(shown, events, client_index) +
         "</div>\n";
}

std::string ClientHtml(const json& client, std::size_t client_index) {
  const std::vector<json> timeline = Items(client, "timeline");
  const std::size_t first = timeline.size() > kDiagramCap ? timeline.size() - kDiagramCap : 0;
  std::vector<DiagramExchange> shown;
  std::set<std::uint64_t> shown_ids;
  for (std::size_t i = first; i < timeline.size(); ++i) {
    shown.push_back(ToDiagramExchange(timeline[i]));
    shown_ids.insert(shown.back().id);
  }
  const std::string account = Str(client, "accountUrl");
  return "<section class=\"client\" id=\"c" + std::to_string(client_index) + "\"><h2>Client " +
         HtmlEscape(Str(client, "id")) + "</h2>\n<p class=\"meta\">Account: " +
         (account.empty() ? std::string("(none yet)") : HtmlEscape(account)) +
         "</p>\n<p class=\"meta\">User-Agent: <code>" + HtmlEscape(Str(client, "userAgent")) +
         "</code> &middot; " + HtmlEscape(Str(client, "exchanges")) + " exchanges recorded, " +
         HtmlEscape(Str(client, "dropped")) + " dropped</p>\n" +
         SummaryHtml(Member(client, "summary")) + FindingsHtml(client, client_index, shown_ids) +
         TimelineHtml(shown, DiagramEvents(client, first == 0 ? "" : shown.front().time),
                      timeline.size(), Unsigned(Member(client, "dropped")), client_index) +
         StateHistoryHtml(client) + "</section>\n";
}

}  // namespace

std::string ReportHtml(const nlohmann::json& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta "
      "name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>mockca client "
      "conformance report</title>\n<style>" +
      std::string(kStyle) + "</style></head>\n<body>\n" + HeaderHtml(report);
  const std::vector<json> clients = Items(report, "clients");
  if (clients.empty()) {
    out += "<p class=\"note\">No client traffic recorded.</p>\n";
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    out += ClientHtml(clients[i], i);
  }
  return out + "</body></html>\n";
}

std::string HtmlEscape(std::string_view text) {
  const std::string valid = ValidUtf8(text);
  std::string out;
  out.reserve(valid.size());
  for (const char c : valid) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
            c == 0x7F) {
          out += "\xEF\xBF\xBD";  // U+FFFD: HTML forbids these characters
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string ExchangeAnchor(std::size_t client_index, std::uint64_t exchange_id) {
  return "c" + std::to_string(client_index) + "-x" + std::to_string(exchange_id);
}

}  // namespace mockca::report
