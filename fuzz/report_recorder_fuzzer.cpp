// The conformance report's recording and rendering: everything a client sends reaches the
// Recorder (DecodeJws of the body, headers, the URL) and then every rule, the JSON report and the
// HTML page. The input is split at its first two newlines into: the request target, the
// User-Agent, the request body; its bytes also feed a response (status, Location, Retry-After and
// body), because the report reads mockca's answers too and a fault can make those arbitrary.
// The exchange is recorded three times under different endpoint kinds, so every rule sees it.
// Oracles: the report dumps (strings made valid UTF-8), the HTML page is produced, and no text of
// the input reaches the page unescaped: the page holds exactly as many '<' as the page rendered
// for the same input with every '<' replaced by '(' (which changes no parse: '<' is not valid
// outside JSON strings nor in base64url, and the lengths stay the same).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.hpp"
#include "fuzz/fuzz_check.hpp"
#include "http/message.hpp"
#include "mockca/report/recorder.hpp"
#include "mockca/report/report_html.hpp"
#include "mockca/report/report_json.hpp"

namespace {

namespace report = mockca::report;

struct Parts {
  std::string target, user_agent, body;
};

Parts Split(std::string_view input) {
  Parts parts;
  const std::size_t first = input.find('\n');
  const std::size_t second = first == std::string_view::npos ? first : input.find('\n', first + 1);
  parts.target = std::string(input.substr(0, first));
  if (first != std::string_view::npos) {
    parts.user_agent = std::string(input.substr(first + 1, second - first - 1));
  }
  if (second != std::string_view::npos) {
    parts.body = std::string(input.substr(second + 1));
  }
  return parts;
}

std::string ReportPage(const Parts& parts, std::uint8_t status_byte) {
  report::Recorder recorder(report::RecorderLimits{true, 8, 8});
  const report::TimePoint t0{std::chrono::seconds(1'795'440'991)};
  const int status = 200 + status_byte % 400;
  int step = 0;
  for (const char* kind : {"newAccount", "order", "challenge", "keyChange", ""}) {
    http::Request request;
    request.method = step % 2 == 0 ? "POST" : "GET";
    request.target = "/" + parts.target;
    request.host = "ca.test:14000";
    request.https = true;
    request.remote = "192.0.2.1:1";
    request.headers = {{"Host", "ca.test:14000"},
                       {"User-Agent", parts.user_agent},
                       {"Content-Type", "application/jose+json"}};
    request.body = parts.body;
    http::Response response{status,
                            {{"Location", parts.target},
                             {"Retry-After", parts.user_agent},
                             {"Replay-Nonce", parts.user_agent},
                             {"Link", "<" + parts.target + ">;rel=\"up\""}},
                            parts.body};
    recorder.Record(request, response, kind, {parts.user_agent}, t0 + std::chrono::seconds(step),
                    std::chrono::microseconds(1));
    ++step;
  }
  report::ProbeRecord probe;
  probe.started = t0;
  probe.challenge_type = parts.user_agent;
  probe.detail = parts.body;
  recorder.RecordProbe(parts.target, probe);
  recorder.RecordFault(parts.target, report::FaultEvent{t0, parts.user_agent, "failValidation",
                                                        parts.user_agent, parts.body});
  const nlohmann::json json = report::ReportJson(recorder.Snapshot(), nlohmann::json(), t0);
  FUZZ_CHECK(!report::DumpReport(json, -1).empty());
  FUZZ_CHECK(json["clients"].is_array());
  return report::ReportHtml(json);
}

std::string WithoutAngles(std::string text) {
  for (char& c : text) {
    c = c == '<' ? '(' : c;
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Parts parts = Split(input);
  const std::uint8_t status_byte = size > 0 ? data[0] : 0;
  const std::string page = ReportPage(parts, status_byte);
  FUZZ_CHECK(!page.empty());
  // Escaping: the input's '<' add no markup.
  const Parts plain{WithoutAngles(parts.target), WithoutAngles(parts.user_agent),
                    WithoutAngles(parts.body)};
  const std::string reference = ReportPage(plain, status_byte);
  const auto tags = [](const std::string& html) {
    std::size_t count = 0;
    for (const char c : html) {
      count += c == '<' ? 1 : 0;
    }
    return count;
  };
  FUZZ_CHECK(tags(page) == tags(reference));
  return 0;
}
