#include "mockca/report/report_routes.hpp"

#include <optional>
#include <string>
#include <utility>

#include "mockca/report/report_html.hpp"
#include "mockca/report/report_json.hpp"

namespace mockca::report {

namespace {

constexpr std::string_view kJsonPath = "/conformance-report";
constexpr std::string_view kHtmlPath = "/conformance-report.html";
constexpr std::string_view kResetPath = "/conformance-report/reset";

http::Response NoStore(http::Response response) {
  response.With("Cache-Control", "no-store");
  return response;
}

http::Response Error(int status, const std::string& message) {
  return NoStore(http::Response::Json(status, DumpReport({{"error", message}}, -1)));
}

http::Response MethodNotAllowed(const http::Request& request, std::string allow) {
  http::Response response =
      Error(405, "method " + request.method + " is not allowed here; use " + allow);
  response.With("Allow", std::move(allow));
  return response;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// application/x-www-form-urlencoded decoding: %XX and '+' (a space). nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else if (i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// The raw (still encoded) value of the first `account` parameter of target's query, if any.
std::optional<std::string_view> RawAccountParameter(std::string_view target) {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view query = target.substr(question + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t equals = pair.find('=');
    if (pair.substr(0, equals) == "account") {
      return equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    }
  }
  return std::nullopt;
}

// The clients the request asks for, or the error response that answers it.
std::pair<std::vector<ClientRecord>, std::optional<http::Response>> SelectClients(
    const http::Request& request, const ReportSources& sources) {
  std::vector<ClientRecord> clients = sources.snapshot();
  const std::optional<std::string_view> raw = RawAccountParameter(request.target);
  if (!raw) {
    return {std::move(clients), std::nullopt};
  }
  const std::optional<std::string> account = PercentDecode(*raw);
  if (!account || account->empty()) {
    return {{}, Error(400, "account: give an account URL or a client id, percent-encoded")};
  }
  for (ClientRecord& client : clients) {
    if (client.id == *account || (!client.account_url.empty() && client.account_url == *account)) {
      std::vector<ClientRecord> selected;
      selected.push_back(std::move(client));
      return {std::move(selected), std::nullopt};
    }
  }
  return {{}, Error(404, "no client with account URL or id \"" + ValidUtf8(*account) + "\"")};
}

http::Response Report(const http::Request& request, const ReportSources& sources, bool html) {
  if (request.method != "GET") {
    return MethodNotAllowed(request, "GET");
  }
  auto [clients, error] = SelectClients(request, sources);
  if (error) {
    return std::move(*error);
  }
  const nlohmann::json report = ReportJson(clients, sources.active_faults(), sources.clock->Now());
  if (!html) {
    return NoStore(http::Response::Json(200, DumpReport(report, -1)));
  }
  return NoStore(
      http::Response{200, {}, ReportHtml(report)}.With("Content-Type", "text/html; charset=utf-8"));
}

http::Response Reset(const http::Request& request, const ReportSources& sources) {
  if (request.method != "POST") {
    return MethodNotAllowed(request, "POST");
  }
  sources.reset();
  return NoStore(http::Response::Json(200, DumpReport({{"reset", true}}, -1)));
}

}  // namespace

bool IsReportPath(std::string_view path) {
  return path == kJsonPath || path == kHtmlPath ||
         (path.starts_with(kJsonPath) && path.size() > kJsonPath.size() &&
          path[kJsonPath.size()] == '/');
}

http::Response HandleReportRequest(const http::Request& request, const ReportSources& sources) {
  const std::string path = request.Path();
  if (path == kJsonPath || path == std::string(kJsonPath) + "/") {
    return Report(request, sources, /*html=*/false);
  }
  if (path == kHtmlPath) {
    return Report(request, sources, /*html=*/true);
  }
  if (path == kResetPath) {
    return Reset(request, sources);
  }
  return Error(404, "no such report resource: " + ValidUtf8(path));
}

}  // namespace mockca::report
