#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "http/message.hpp"
#include "mockca/report/records.hpp"

namespace mockca::report {

// Where the report handler reads from. Every member must be set and outlive the requests served;
// each function must be safe to call from any I/O thread.
struct ReportSources {
  std::function<std::vector<ClientRecord>()> snapshot;  // every client, a copy (the recorder's)
  std::function<void()> reset;                          // forgets every record
  std::function<nlohmann::json()> active_faults;        // the fault engine's RulesJson()
  const common::Clock* clock = nullptr;                 // the report's "generated" time
};

// The conformance report on the management listener (transport-free):
//   GET  /conformance-report        200 ReportJson(...) (application/json)
//   GET  /conformance-report.html   200 ReportHtml(ReportJson(...)) (text/html; charset=utf-8)
//   POST /conformance-report/reset  calls sources.reset(); 200 {"reset": true}
// Both GET routes take `?account=<account URL or client id>` (percent-encoded; '+' is a space)
// and then report that client only: 404 {"error": ...} when no client has that account URL or
// id, 400 when the query is not well percent-encoded or the value is empty. Other parameters are
// ignored. A method a route does not serve → 405 {"error": ...} with Allow; any other path under
// /conformance-report/ → 404. Responses carry Cache-Control: no-store.
http::Response HandleReportRequest(const http::Request& request, const ReportSources& sources);

// True for the paths HandleReportRequest serves: "/conformance-report",
// "/conformance-report.html" and every path under "/conformance-report/" (no query string).
bool IsReportPath(std::string_view path);

}  // namespace mockca::report
