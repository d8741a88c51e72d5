// B.7 Orders (C-ORD): newOrder identifiers, acting on the order status, polling after finalize.
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "common/ip_literal.hpp"
#include "common/rfc3339.hpp"
#include "mockca/report/rules/advertised_urls.hpp"
#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// The problems of one dns identifier value (§7.1.4, §7.4), into result.
void CheckDnsValue(const Exchange& exchange, const std::string& value, FindingBuilder& result) {
  const std::string prefix = Describe(exchange) + ": dns identifier \"" + value + "\" ";
  if (!value.empty() && value.back() == '.') {
    result.Fail(prefix + "has a trailing dot", {exchange.id});
  }
  const std::size_t star = value.find('*');
  if (star != std::string::npos &&
      (value.rfind("*.", 0) != 0 || value.find('*', 1) != std::string::npos)) {
    result.Fail(prefix + "uses '*' other than as the whole left-most label", {exchange.id});
  }
  bool upper = false;
  for (const char c : value) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      result.Fail(prefix + "is not in A-label form (send the punycode \"xn--\" name)",
                  {exchange.id});
      return;
    }
    upper = upper || std::isupper(static_cast<unsigned char>(c));
  }
  if (upper) {
    result.Note(prefix + "has uppercase letters (send it lowercase)", {exchange.id});
  }
}

// C-ORD-01 (§7.4, §7.1.4): identifiers in certificate form; notBefore/notAfter in RFC 3339.
Finding JudgeOrderIdentifiers(const ClientRecord& client) {
  FindingBuilder result("C-ORD-01", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    const nlohmann::json* payload = PayloadObject(exchange);
    if (payload == nullptr || exchange.kind != "newOrder") {
      continue;
    }
    result.Checked(exchange.id);
    const auto identifiers = payload->find("identifiers");
    if (identifiers == payload->end() || !identifiers->is_array() || identifiers->empty()) {
      result.Fail(Describe(exchange) + ": no identifiers array", {exchange.id});
      continue;
    }
    for (const nlohmann::json& identifier : *identifiers) {
      const auto type = StringMember(identifier, "type");
      const auto value = StringMember(identifier, "value");
      if (!type || !value) {
        result.Fail(Describe(exchange) + ": identifier " + identifier.dump() +
                        " lacks a string type or value",
                    {exchange.id});
      } else if (*type == "dns" && !common::IsIpLiteral(*value)) {
        CheckDnsValue(exchange, *value, result);  // an IP as dns is C-IP-01's
      }
    }
    for (const char* member : {"notBefore", "notAfter"}) {
      if (payload->contains(member)) {
        const auto text = StringMember(*payload, member);
        if (!text || !common::ParseRfc3339(*text)) {
          result.Fail(Describe(exchange) + ": " + member + " " + (*payload)[member].dump() +
                          " is not an RFC 3339 date-time",
                      {exchange.id});
        }
      }
    }
  }
  return result.Finish("every newOrder identifier is in certificate form", "no newOrder recorded");
}

// The status in a JSON object response, or "".
std::string StatusOf(const nlohmann::json& body) {
  return StringMember(body, "status").value_or("");
}

// The status of the authz listing challenge_url in the latest authz response before `before`
// (index into client.exchanges), with that response's id; "" when none.
std::pair<std::string, std::uint64_t> AuthzStatusBefore(const ClientRecord& client,
                                                        std::size_t before,
                                                        const std::string& challenge_url) {
  for (std::size_t i = before; i-- > 0;) {
    const Exchange& exchange = client.exchanges[i];
    if (exchange.kind != "authz" || exchange.status != 200) {
      continue;
    }
    const nlohmann::json body = ResponseJson(exchange);
    const auto challenges = body.is_object() ? body.find("challenges") : body.end();
    if (challenges == body.end() || !challenges->is_array()) {
      continue;
    }
    for (const nlohmann::json& challenge : *challenges) {
      if (StringMember(challenge, "url") == challenge_url) {
        return {StatusOf(body), exchange.id};
      }
    }
  }
  return {"", 0};
}

// The status of the order whose finalize URL is finalize_url in the latest response before
// `before` that shows it; "" when none.
std::string OrderStatusBefore(const ClientRecord& client, std::size_t before,
                              const std::string& finalize_url) {
  for (std::size_t i = before; i-- > 0;) {
    const nlohmann::json body = ResponseJson(client.exchanges[i]);
    if (StringMember(body, "finalize") == finalize_url) {
      return StatusOf(body);
    }
  }
  return "";
}

// A POST that acts (not POST-as-GET) with a JSON object payload.
bool IsActingPost(const Exchange& exchange) {
  return PayloadObject(exchange) != nullptr;
}

// C-ORD-03 (§7.1.3): no challenge answered on a valid authz; finalize only when ready.
Finding JudgeFollowsStatus(const ClientRecord& client) {
  FindingBuilder result("C-ORD-03", "SHOULD");
  for (std::size_t i = 0; i < client.exchanges.size(); ++i) {
    const Exchange& exchange = client.exchanges[i];
    if (!IsActingPost(exchange)) {
      continue;
    }
    if (exchange.kind == "challenge" && exchange.jws->payload.empty()) {
      result.Checked(exchange.id);
      const auto [status, shown_by] = AuthzStatusBefore(client, i, exchange.url);
      if (status == "valid") {
        result.Warn(Describe(exchange) + " answers a challenge whose authz #" +
                        std::to_string(shown_by) + " showed valid already",
                    {shown_by, exchange.id});
      }
    } else if (exchange.kind == "finalize") {
      result.Checked(exchange.id);
      // When the last order the client saw was ready, orderNotReady is mockca's doing.
      if (IsProblem(exchange, "orderNotReady") &&
          OrderStatusBefore(client, i, exchange.url) != "ready") {
        result.Warn(Describe(exchange) + " finalized an order that was not ready (orderNotReady)",
                    {exchange.id});
      }
    }
  }
  return result.Finish("challenges answered only on pending authz; finalize only when ready",
                       "no challenge answer or finalize recorded");
}

// C-ORD-02 (§7.4): the order is polled at the URL mockca gave (newOrder's Location, an orders
// list), and after a finalize answered processing it is polled at all (or its certificate
// fetched).
Finding JudgeOrderUrl(const ClientRecord& client) {
  FindingBuilder result("C-ORD-02", "MUST");
  AdvertisedUrls advertised;
  std::map<std::string, std::uint64_t> processing;  // finalize URL → the answer saying processing
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.kind == "order" && IsSignedPost(exchange)) {
      if (advertised.Has(exchange.url)) {
        result.Checked(exchange.id);
      } else {
        result.Fail(Describe(exchange) + " polls " + WithoutQuery(exchange.url) +
                        ", a URL mockca never gave it: poll the newOrder Location",
                    {exchange.id});
      }
    }
    if (exchange.kind == "order" || exchange.kind == "certificate") {
      processing.clear();  // a poll (or the download) followed
    }
    const nlohmann::json body = ResponseJson(exchange);
    if (exchange.kind == "finalize" && StatusOf(body) == "processing") {
      processing.emplace(exchange.url, exchange.id);
    }
    advertised.Learn(exchange);
  }
  for (const auto& [url, answer] : processing) {
    result.Fail("#" + std::to_string(answer) +
                    " answered finalize with processing, and the order was never polled again",
                {answer});
  }
  return result.Finish("orders polled at their Location; every processing order polled",
                       "no order poll recorded");
}

// C-ORD-07 (§7.4): on processing, poll no earlier than Retry-After; never finalize again.
Finding JudgeProcessingPoll(const ClientRecord& client) {
  FindingBuilder result("C-ORD-07", "SHOULD / BP");
  CheckRetryAfter(
      client,
      [](const Exchange& advertised) {
        return (advertised.kind == "finalize" || advertised.kind == "order") &&
               advertised.status < 400;
      },
      result);
  std::map<std::string, std::uint64_t> underway;  // finalize URL → the answer that said so
  for (std::size_t i = 0; i < client.exchanges.size(); ++i) {
    const Exchange& exchange = client.exchanges[i];
    if (exchange.kind == "finalize" && IsActingPost(exchange)) {
      if (const auto seen = underway.find(exchange.url); seen != underway.end()) {
        result.Note(Describe(exchange) + " finalizes again after #" + std::to_string(seen->second) +
                        " showed the order processing or valid; poll the order instead",
                    {seen->second, exchange.id});
      }
    }
    const nlohmann::json body = ResponseJson(exchange);
    const std::string status = StatusOf(body);
    const auto finalize_url = StringMember(body, "finalize");
    if (finalize_url && (status == "processing" || status == "valid")) {
      result.Checked(exchange.id);
      underway.emplace(*finalize_url, exchange.id);
    }
  }
  return result.Finish("polls after finalize honour Retry-After; no second finalize",
                       "no order seen processing or valid, and no Retry-After on an order");
}

}  // namespace

std::vector<Rule> OrderRules() {
  return {
      {"C-ORD-01", "MUST",
       "newOrder identifiers in certificate form (A-labels, no trailing dot, '*.' only as the "
       "whole left-most label; BP lowercase); notBefore/notAfter in RFC 3339.",
       JudgeOrderIdentifiers},
      {"C-ORD-02", "MUST", "The order URL comes from Location and is polled there.", JudgeOrderUrl},
      {"C-ORD-03", "SHOULD",
       "The order status decides the next step: no challenge answered on a valid authz, finalize "
       "only when ready.",
       JudgeFollowsStatus},
      {"C-ORD-07", "SHOULD / BP",
       "On processing, poll the order no earlier than Retry-After and never finalize again.",
       JudgeProcessingPoll},
  };
}

}  // namespace mockca::report::rules
