#include "mockca/report/report_diagram.hpp"

#include <string_view>
#include <utility>

#include "mockca/report/report_html.hpp"

namespace mockca::report {

namespace {

// Geometry, in SVG user units (pixels).
constexpr int kWidth = 980;
constexpr int kClientX = 190;
constexpr int kServerX = 700;
constexpr int kLabelX = (kClientX + kServerX) / 2;
constexpr int kFaultX = kServerX + 12;
constexpr int kHeadHeight = 36;
constexpr int kRowHeight = 42;
constexpr int kEventHeight = 24;
constexpr std::size_t kLabelChars = 64;

constexpr std::string_view kProblemPrefix = "urn:ietf:params:acme:error:";
constexpr std::string_view kLightning = "\xE2\x9A\xA1";  // U+26A1

// text cut to at most max_chars code points (an ellipsis marks the cut). Counts UTF-8 lead bytes,
// so it never splits a character; invalid bytes are replaced later by HtmlEscape.
std::string Shorten(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++chars > max_chars) {
      return std::string(text.substr(0, i)) + "\xE2\x80\xA6";  // U+2026
    }
  }
  return std::string(text);
}

// "https://host/a/b?c" → "/a/b?c": what the request label shows when the endpoint has no kind.
std::string_view PathOf(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return url;
  }
  const std::size_t slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
}

// "2026-11-23T13:36:31.250Z" → "13:36:31.250": the row shows the time of day, the tooltip all.
std::string TimeOfDay(const std::string& time) {
  if (time.size() == 24 && time[10] == 'T' && time.back() == 'Z') {
    return time.substr(11, 12);
  }
  return Shorten(time, 24);
}

std::string RequestLabel(const DiagramExchange& exchange) {
  const std::string_view target = exchange.kind.empty() ? PathOf(exchange.url) : exchange.kind;
  return Shorten(exchange.method + " " + std::string(target), kLabelChars);
}

std::string ResponseLabel(const DiagramExchange& exchange) {
  if (exchange.status == 0) {
    return "no response";
  }
  std::string label = std::to_string(exchange.status);
  if (!exchange.problem.empty()) {
    std::string_view type = exchange.problem;
    if (type.starts_with(kProblemPrefix)) {
      type.remove_prefix(kProblemPrefix.size());
    }
    label += " " + std::string(type);
  }
  return Shorten(label, kLabelChars);
}

std::string Joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    out += (out.empty() ? "" : std::string(separator)) + part;
  }
  return out;
}

// The hover text: everything the labels leave out.
std::string Tooltip(const DiagramExchange& exchange) {
  std::string text = "#" + std::to_string(exchange.id) + " " + exchange.time + "\n" +
                     exchange.method + " " + exchange.url + "\n\xE2\x86\x90 " +
                     (exchange.status == 0 ? "no response" : std::to_string(exchange.status));
  if (!exchange.problem.empty()) {
    text += " " + exchange.problem;
  }
  if (!exchange.faults.empty()) {
    text += "\nfaults: " + Joined(exchange.faults, ", ");
  }
  return text;
}

std::string Text(int x, int y, std::string_view css_class, std::string_view anchor,
                 const std::string& text) {
  return "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" class=\"" +
         std::string(css_class) + "\" text-anchor=\"" + std::string(anchor) + "\">" +
         HtmlEscape(text) + "</text>";
}

std::string Arrow(int from_x, int to_x, int y, std::string_view css_class,
                  std::string_view marker) {
  const std::string y_text = std::to_string(y);
  return "<line x1=\"" + std::to_string(from_x) + "\" y1=\"" + y_text + "\" x2=\"" +
         std::to_string(to_x) + "\" y2=\"" + y_text + "\" class=\"" + std::string(css_class) +
         "\" marker-end=\"url(#" + std::string(marker) + ")\"/>";
}

std::string Row(const DiagramExchange& exchange, int top, std::size_t client_index) {
  const std::string prefix = "c" + std::to_string(client_index);
  const bool error = exchange.status == 0 || exchange.status >= 400;
  std::string out = "<g id=\"" + ExchangeAnchor(client_index, exchange.id) + "\" class=\"ex\">";
  out += "<title>" + HtmlEscape(Tooltip(exchange)) + "</title>";
  out += "<rect class=\"hit\" x=\"0\" y=\"" + std::to_string(top) + "\" width=\"" +
         std::to_string(kWidth) + "\" height=\"" + std::to_string(kRowHeight) + "\"/>";
  out += Text(8, top + 17, "id", "start", "#" + std::to_string(exchange.id));
  out += Text(8, top + 33, "time", "start", TimeOfDay(exchange.time));
  out += Text(kLabelX, top + 12, "req", "middle", RequestLabel(exchange));
  out += Arrow(kClientX, kServerX, top + 16, "req", prefix + "-ah");
  out += Text(kLabelX, top + 32, error ? "res err" : "res", "middle", ResponseLabel(exchange));
  out += Arrow(kServerX, kClientX, top + 36, error ? "res err" : "res",
               prefix + (error ? "-ahe" : "-ah"));
  if (!exchange.faults.empty()) {
    out += Text(kFaultX, top + 27, "fault", "start",
                std::string(kLightning) + " " + Shorten(Joined(exchange.faults, ", "), 40));
  }
  return out + "</g>\n";
}

std::string EventRow(const DiagramEvent& event, int top, std::size_t client_index) {
  const bool probe = event.kind == DiagramEvent::Kind::kProbe;
  std::string out = "<g class=\"" + std::string(probe ? "probe" : "fault-event") + "\">";
  out += "<title>" + HtmlEscape(event.detail) + "</title>";
  out += Text(8, top + 16, "time", "start", TimeOfDay(event.time));
  if (probe) {
    const std::string css = event.error ? "va err" : "va";
    out += Text(kLabelX, top + 10, css, "middle", Shorten(event.label, kLabelChars));
    out += Arrow(kServerX, kClientX + 40, top + 15, css,
                 "c" + std::to_string(client_index) + (event.error ? "-ahe" : "-ah"));
  } else {
    out += Text(kFaultX, top + 16, "fault", "start",
                std::string(kLightning) + " " + Shorten(event.label, 40));
  }
  return out + "</g>\n";
}

std::string Head(std::size_t client_index, int height) {
  const std::string prefix = "c" + std::to_string(client_index);
  std::string out = "<defs>";
  for (const auto& [suffix, css_class] : {std::pair{"-ah", "head"}, {"-ahe", "head err"}}) {
    out += "<marker id=\"" + prefix + suffix +
           "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
           "markerHeight=\"7\" orient=\"auto\"><path class=\"" +
           css_class + "\" d=\"M0,0 L10,5 L0,10 z\"/></marker>";
  }
  out += "</defs>\n";
  for (const auto& [x, name] : {std::pair{kClientX, "client"}, {kServerX, "mockca"}}) {
    out += "<rect class=\"actor\" x=\"" + std::to_string(x - 50) +
           "\" y=\"2\" width=\"100\" height=\"26\" rx=\"4\"/>";
    out += Text(x, 20, "actor", "middle", name);
    out += "<line class=\"life\" x1=\"" + std::to_string(x) + "\" y1=\"28\" x2=\"" +
           std::to_string(x) + "\" y2=\"" + std::to_string(height) + "\"/>";
  }
  return out + "\n";
}

}  // namespace

std::string SequenceDiagramSvg(const std::vector<DiagramExchange>& exchanges,
                               const std::vector<DiagramEvent>& events, std::size_t client_index) {
  const int height = kHeadHeight + static_cast<int>(exchanges.size()) * kRowHeight +
                     static_cast<int>(events.size()) * kEventHeight + 8;
  std::string out = "<svg class=\"seq\" width=\"" + std::to_string(kWidth) + "\" height=\"" +
                    std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
                    std::to_string(height) +
                    "\" role=\"img\" aria-label=\"sequence diagram of client and mockca\">\n";
  out += Head(client_index, height);
  int top = kHeadHeight;
  std::size_t next_event = 0;
  const auto events_until = [&](const std::string& time) {
    while (next_event < events.size() && (time.empty() || events[next_event].time < time)) {
      out += EventRow(events[next_event++], top, client_index);
      top += kEventHeight;
    }
  };
  for (const DiagramExchange& exchange : exchanges) {
    events_until(exchange.time);
    out += Row(exchange, top, client_index);
    top += kRowHeight;
  }
  events_until("");
  return out + "</svg>\n";
}

}  // namespace mockca::report
