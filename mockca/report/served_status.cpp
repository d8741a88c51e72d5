#include "mockca/report/served_status.hpp"

#include "common/json.hpp"
#include "common/json_parse.hpp"
#include "mockca/report/exchange_builder.hpp"

namespace mockca::report {
namespace {

// The object kind an endpoint kind's successful response describes, or "".
std::string ObjectOf(const std::string& kind) {
  if (kind == "newAccount" || kind == "account") {
    return "account";
  }
  if (kind == "newOrder" || kind == "order" || kind == "finalize") {
    return "order";
  }
  if (kind == "authz" || kind == "challenge") {
    return kind;
  }
  return {};
}

using common::StringMemberOrEmpty;

}  // namespace

ServedObjects ServedStatuses(const Exchange& exchange, std::string_view response_body,
                             const std::string& origin) {
  ServedObjects served;
  const std::string object = ObjectOf(exchange.kind);
  if (object.empty() || (exchange.status != 200 && exchange.status != 201)) {
    return served;
  }
  const auto body = nlohmann::json::parse(response_body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    return served;
  }
  const std::string status = StringMemberOrEmpty(body, "status");
  if (status.empty()) {
    return served;
  }
  std::string url = exchange.url;
  if (exchange.kind == "newAccount" || exchange.kind == "newOrder") {
    const std::string location = exchange.ResponseHeader("Location");
    if (!location.empty()) {
      url = AbsoluteUrl(location, origin);
    }
  }
  const auto add = [&](std::string kind, std::string at, std::string to) {
    served.statuses.push_back(StatusChange{0, exchange.received, std::move(kind), std::move(at),
                                           std::string(), std::move(to)});
  };
  add(object, url, status);
  if (object == "order") {
    served.finalize_url = StringMemberOrEmpty(body, "finalize");
  }
  if (object == "authz") {
    const auto challenges = body.find("challenges");
    if (challenges != body.end() && challenges->is_array()) {
      for (const auto& challenge : *challenges) {
        if (challenge.is_object() && !StringMemberOrEmpty(challenge, "url").empty() &&
            !StringMemberOrEmpty(challenge, "status").empty()) {
          add("challenge", StringMemberOrEmpty(challenge, "url"),
              StringMemberOrEmpty(challenge, "status"));
        }
      }
    }
  }
  return served;
}

}  // namespace mockca::report
