#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mockca::report {

// One exchange as the sequence diagram draws it (taken from a report's "timeline").
struct DiagramExchange {
  std::uint64_t id = 0;
  std::string time;  // RFC 3339
  std::string method, url, kind;
  int status = 0;                   // 0: no response was recorded
  std::string problem;              // the problem type URN, or ""
  std::vector<std::string> faults;  // fault rule ids that fired
};

// Something the server side did that the diagram draws between exchanges: a VA probe (an arrow
// from mockca toward the client: "VA http-01 a.test → valid") or a fault that fired below the
// router (a ⚡ on mockca's lifeline).
struct DiagramEvent {
  enum class Kind { kProbe, kFault };
  Kind kind = Kind::kProbe;
  std::string time;    // RFC 3339, as the timeline's (rows sort by it)
  std::string label;   // the row's text
  std::string detail;  // the hover text
  bool error = false;  // a failed probe
};

// An inline <svg> sequence diagram of client ↔ mockca: two lifelines, one request arrow
// ("POST newOrder") and one response arrow ("201", "400 badNonce") per exchange, fault rules that
// fired marked with a red ⚡ and their ids. Each exchange is a <g> with id
// ExchangeAnchor(client_index, id) and a <title> with the full details. events are drawn as
// shorter rows among the exchanges, in time order (an event at the same time as an exchange comes
// after it). Text is escaped.
std::string SequenceDiagramSvg(const std::vector<DiagramExchange>& exchanges,
                               const std::vector<DiagramEvent>& events, std::size_t client_index);

}  // namespace mockca::report
