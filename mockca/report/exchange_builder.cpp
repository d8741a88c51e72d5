#include "mockca/report/exchange_builder.hpp"

#include <utility>

#include "common/ascii.hpp"
#include "common/json_parse.hpp"
#include "mockca/report/jws_decode.hpp"

namespace mockca::report {
namespace {

// body cut to Exchange::kBodyCap; *truncated says whether it was.
std::string Capped(const std::string& body, bool* truncated) {
  *truncated = body.size() > Exchange::kBodyCap;
  return *truncated ? body.substr(0, Exchange::kBodyCap) : body;
}

std::string ProblemType(const Exchange& exchange, const std::string& full_body) {
  const std::string content_type = common::AsciiLower(exchange.ResponseHeader("Content-Type"));
  const bool problem_media = content_type.find("application/problem+json") != std::string::npos;
  if (!problem_media && exchange.status < 400) {
    return {};
  }
  const auto body = nlohmann::json::parse(full_body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    return {};
  }
  return common::StringMemberOrEmpty(body, "type");
}

}  // namespace

std::vector<std::string> HeaderValues(const Headers& headers, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : headers) {
    if (common::EqualsIgnoreCase(key, name)) {
      values.emplace_back(value);
    }
  }
  return values;
}

Exchange BuildExchange(const http::Request& request, const http::Response& response,
                       std::string kind, std::vector<std::string> fault_rules, TimePoint received,
                       std::chrono::microseconds duration,
                       const jose::ProtectedHeader* parsed_jws_header) {
  Exchange exchange;
  exchange.received = received;
  exchange.duration = duration;
  exchange.remote = request.remote;
  exchange.method = request.method;
  exchange.url = "https://" + request.host + request.target;
  exchange.kind = std::move(kind);
  exchange.request_headers = Headers(request.headers);
  exchange.request_body = Capped(request.body, &exchange.request_body_truncated);
  if (request.method == "POST") {
    if (exchange.request_body_truncated) {
      exchange.jws = DecodeJws(request.body);
    } else if (parsed_jws_header != nullptr) {
      exchange.jws = HeaderFieldsOf(*parsed_jws_header);
    } else {
      exchange.jws = DecodeJwsHeaderFields(request.body);
    }
  }
  exchange.fault_rules = std::move(fault_rules);
  if (response.delivery.mode == http::Delivery::Mode::kClose) {
    exchange.broken_delivery = "closed";
    return exchange;
  }
  exchange.status = response.status;
  exchange.response_headers = Headers(response.headers);
  if (response.delivery.mode == http::Delivery::Mode::kResetMidBody) {
    exchange.broken_delivery = "reset";
    return exchange;
  }
  const bool head = request.method == "HEAD";
  exchange.response_body =
      head ? std::string() : Capped(response.body, &exchange.response_body_truncated);
  exchange.problem_type = ProblemType(exchange, response.body);
  return exchange;
}

std::optional<RecordedJws> FullJws(const Exchange& exchange) {
  if (!exchange.jws || exchange.request_body_truncated) {
    return exchange.jws;
  }
  std::optional<RecordedJws> jws = DecodeJws(exchange.request_body);
  if (jws) {
    jws->verifying_key = exchange.jws->verifying_key;
  }
  return jws;
}

std::string OriginOf(const std::string& url) {
  const std::size_t scheme = url.find("://");
  return scheme == std::string::npos ? std::string() : url.substr(0, url.find('/', scheme + 3));
}

std::string AbsoluteUrl(const std::string& target, const std::string& origin) {
  return !target.empty() && target.front() == '/' ? origin + target : target;
}

std::vector<LinkValue> LinkValues(const Headers& headers) {
  std::vector<LinkValue> links;
  for (const std::string& link : HeaderValues(headers, "Link")) {
    const std::size_t open = link.find('<');
    const std::size_t close = link.find('>', open);
    if (open != std::string::npos && close != std::string::npos) {
      links.push_back({link.substr(open + 1, close - open - 1), link.substr(close + 1)});
    }
  }
  return links;
}

}  // namespace mockca::report
