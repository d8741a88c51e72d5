#include "mockca/wfe/request_faults.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <utility>

#include "common/ascii.hpp"
#include "common/json.hpp"
#include "common/json_parse.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/jose/base64url.hpp"

namespace mockca::wfe {
namespace {

using faults::FaultKind;

constexpr char kNotJson[] = R"({"status": "valid", "identifiers": [)";

// The JSON value a base64url member of object decodes to; discarded (not an exception) when
// anything is wrong.
nlohmann::json DecodedMember(const nlohmann::json& object, const char* member) {
  const auto it = object.find(member);
  if (it == object.end() || !it->is_string()) {
    return nlohmann::json::value_t::discarded;
  }
  auto decoded = jose::Base64UrlDecode(it->get_ref<const std::string&>(), member);
  if (!decoded) {
    return nlohmann::json::value_t::discarded;
  }
  auto parsed = common::ParseJson(decoded.value());
  return parsed ? std::move(parsed).value() : nlohmann::json(nlohmann::json::value_t::discarded);
}

nlohmann::json ParseObject(std::string_view text) {
  auto parsed = common::ParseJson(text);
  return parsed && parsed->is_object() ? std::move(parsed).value()
                                       : nlohmann::json(nlohmann::json::value_t::discarded);
}

std::string KidOf(const nlohmann::json& jws) {
  const nlohmann::json header = DecodedMember(jws, "protected");
  if (!header.is_object() || !header.contains("kid") || !header["kid"].is_string()) {
    return {};
  }
  return header["kid"].get<std::string>();
}

std::vector<std::string> PayloadIdentifiers(const nlohmann::json& jws) {
  const nlohmann::json payload = DecodedMember(jws, "payload");
  std::vector<std::string> values;
  if (!payload.is_object() || !payload.contains("identifiers") ||
      !payload["identifiers"].is_array()) {
    return values;
  }
  for (const auto& identifier : payload["identifiers"]) {
    if (identifier.is_object() && identifier.contains("value") && identifier["value"].is_string()) {
      values.push_back(identifier["value"].get<std::string>());
    }
  }
  return values;
}

http::Response ErrorReply(const faults::Injection& injection, const FaultSite& site) {
  const faults::Fault& fault = injection.fault;
  const int status = fault.status == 0 ? 500 : fault.status;
  const nlohmann::json problem = {
      // The rule parser stores a full URN (serverInternal when the rule names none).
      {"type", fault.problem_type.empty() ? acme::TypeUrn(acme::ProblemType::kServerInternal)
                                          : fault.problem_type},
      {"detail", fault.detail.empty() ? "injected fault " + injection.rule_id : fault.detail},
      {"status", status}};
  http::Response reply{status, {}, problem.dump(2)};
  reply.With("Content-Type", "application/problem+json; charset=utf-8");
  if (fault.retry_after) {
    // C-HTTP-05: either form of RFC 9110 §10.2.3 (F-RA-DATE for the date).
    reply.With("Retry-After", fault.retry_after_http_date
                                  ? ImfFixdate(site.now + std::chrono::seconds(*fault.retry_after))
                                  : std::to_string(*fault.retry_after));
  }
  if (status == 429) {
    reply.With("Link", "<" + site.base_url + "/docs/rate-limits>;rel=\"help\"");  // F-429
  }
  return reply;
}

std::string ReasonOf(int status) {
  switch (status) {
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

// What a reverse proxy in front of the CA answers when the CA is down (F-HTML-5XX).
http::Response HtmlReply(const faults::Fault& fault) {
  const int status = fault.status == 0 ? 502 : fault.status;
  const std::string title = std::to_string(status) + " " + ReasonOf(status);
  return http::Response{
      status, {{"Content-Type", "text/html"}}, "<html><body><h1>" + title + "</h1></body></html>"};
}

void RemoveHeader(http::Response& response, std::string_view name) {
  auto& headers = response.headers;
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& header) {
                                 return common::EqualsIgnoreCase(header.first, name);
                               }),
                headers.end());
}

// F-UNKNOWN-FIELDS, F-DIR-EXTRA: members no client may choke on (RFC 8555 §7.1: ignore them).
void AddExtraFields(const FaultSite& site, http::Response& response) {
  nlohmann::json body = ParseObject(response.body);
  if (body.is_discarded()) {
    return;
  }
  body["anvilUnknownField"] = {{"nested", {1, nullptr}}};
  body["x-anvil"] = nullptr;
  if (site.kind == "directory") {
    body["anvilExtraEndpoint"] = site.base_url + "/anvil-extra";
    if (body.contains("meta") && body["meta"].is_object()) {
      body["meta"]["anvilExtraMeta"] = {{"note", "an unknown meta member"}};
    }
  }
  response.body = body.dump(2);
}

}  // namespace

std::string JwsKid(std::string_view body) {
  return KidOf(ParseObject(body));
}

faults::Facts RequestFacts(const http::Request& request, std::string kind) {
  faults::Facts facts;
  facts.where = std::move(kind);
  facts.method = request.method;
  facts.subject = request.method + " " + request.target;
  if (request.method == "POST" && !request.body.empty()) {
    const nlohmann::json jws = ParseObject(request.body);
    facts.account = KidOf(jws);
    facts.identifiers = PayloadIdentifiers(jws);
  }
  return facts;
}

std::string ImfFixdate(common::Clock::TimePoint when) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(when);
  const year_month_day date{day};
  const hh_mm_ss time{floor<seconds>(when) - day};
  char text[32];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kDays[weekday{day}.c_encoding()], static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

RequestFaultPlan PlanRequestFaults(const std::vector<faults::Injection>& injections,
                                   const FaultSite& site) {
  RequestFaultPlan plan;
  auto replace = [&plan](http::Response reply, bool common_headers, bool nonce) {
    if (!plan.reply) {
      plan.reply = std::move(reply);
      plan.common_headers = common_headers;
      plan.nonce = nonce;
    }
  };
  auto close = [&plan](http::Delivery::Mode mode) {
    if (plan.delivery.mode != http::Delivery::Mode::kClose) {
      plan.delivery.mode = mode;  // closing without a byte wins over a reset mid-body
    }
  };
  for (const auto& injection : injections) {
    const faults::Fault& fault = injection.fault;
    switch (fault.kind) {
      case FaultKind::kError:
        replace(ErrorReply(injection, site), true, !fault.omit_nonce);
        break;
      case FaultKind::kEmpty200:
        replace(http::Response{200, {}, {}}, true, true);
        break;
      case FaultKind::kHtmlError:
        replace(HtmlReply(fault), false, false);
        break;
      case FaultKind::kDelay:
        plan.delivery.delay += std::chrono::milliseconds(fault.delay_ms);
        break;
      case FaultKind::kDrop:
        replace(http::Response{}, false, false);
        close(http::Delivery::Mode::kClose);
        break;
      case FaultKind::kDropAfter:
        close(http::Delivery::Mode::kClose);
        break;
      case FaultKind::kReset:
        close(http::Delivery::Mode::kResetMidBody);
        break;
      default:
        break;  // not a request-stage fault
    }
  }
  return plan;
}

void ApplyResponseFaults(const std::vector<faults::Injection>& injections, const FaultSite& site,
                         http::Response& response) {
  for (const auto& injection : injections) {
    const faults::Fault& fault = injection.fault;
    switch (fault.kind) {
      case FaultKind::kContentType:
        RemoveHeader(response, "Content-Type");
        if (!fault.value.empty()) {
          response.With("Content-Type", fault.value);
        }
        break;
      case FaultKind::kTruncateBody:
        response.body.resize(response.body.size() / 2);
        break;
      case FaultKind::kInvalidJson:
        response.body = kNotJson;
        break;
      case FaultKind::kExtraFields:
        AddExtraFields(site, response);
        break;
      case FaultKind::kOmitHeader:
        RemoveHeader(response, fault.header);
        break;
      default:
        break;  // not a response-stage fault
    }
  }
}

}  // namespace mockca::wfe
