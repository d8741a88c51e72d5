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

// An inline <svg> sequence diagram of client ↔ mockca: two lifelines, one request arrow
// ("POST newOrder") and one response arrow ("201", "400 badNonce") per exchange, fault rules that
// fired marked with a red ⚡ and their ids. Each exchange is a <g> with id
// ExchangeAnchor(client_index, id) and a <title> with the full details. Text is escaped.
std::string SequenceDiagramSvg(const std::vector<DiagramExchange>& exchanges,
                               std::size_t client_index);

}  // namespace mockca::report
