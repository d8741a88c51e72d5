#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.hpp"

namespace mockca::report {

// The sequence diagram shows at most this many exchanges per client: the newest ones.
inline constexpr std::size_t kDiagramCap = 500;

// The conformance report (ReportJson's shape) as one self-contained HTML page: inline CSS, an
// inline SVG sequence diagram per client, no script and no external resource. Per client: a
// summary line (counts per verdict), the findings (FAIL, WARN, NOTE, PASS in a table; NOT-TESTED
// folded in a <details>), and the timeline of its last kDiagramCap exchanges, each an element
// with id ExchangeAnchor(client_index, exchange id) that evidence links point to. Every string
// from report is escaped (it comes from client traffic); members missing or of the wrong type
// render as empty, so any JSON gives a page.
std::string ReportHtml(const nlohmann::json& report);

// text made valid UTF-8 (ValidUtf8) and safe in HTML and SVG text and in quoted attribute values:
// & < > " ' become references, and control characters other than tab, CR and LF become U+FFFD.
std::string HtmlEscape(std::string_view text);

// The id of an exchange's element in the page: "c<client_index>-x<exchange_id>".
std::string ExchangeAnchor(std::size_t client_index, std::uint64_t exchange_id);

}  // namespace mockca::report
