// B.11 Errors, rate limits, backoff (C-ERR, C-RL): retries of failed requests.
#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

constexpr std::size_t kMaxIdenticalFailures = 3;
constexpr std::chrono::seconds kFailureWindow{60};

// Requests are identical when method, URL and payload are (the nonce and signature differ).
std::string RequestKey(const Exchange& exchange) {
  const std::string& body = exchange.jws ? exchange.jws->payload_b64 : exchange.request_body;
  return exchange.method + ' ' + exchange.url + ' ' + body;
}

// The largest run of failures inside kFailureWindow, as indexes into failures (by arrival).
std::vector<const Exchange*> DensestWindow(const std::vector<const Exchange*>& failures) {
  std::size_t best_begin = 0;
  std::size_t best_size = 0;
  std::size_t begin = 0;
  for (std::size_t end = 0; end < failures.size(); ++end) {
    while (failures[end]->received - failures[begin]->received > kFailureWindow) {
      ++begin;
    }
    if (end - begin + 1 > best_size) {
      best_begin = begin;
      best_size = end - begin + 1;
    }
  }
  return {failures.begin() + static_cast<std::ptrdiff_t>(best_begin),
          failures.begin() + static_cast<std::ptrdiff_t>(best_begin + best_size)};
}

// C-ERR-04 (BP): no more than 3 identical failing requests within 60 s. badNonce is left out:
// retrying it unchanged is what §6.5 asks (C-NONCE-03).
Finding JudgeRepeatedFailures(const ClientRecord& client) {
  FindingBuilder result("C-ERR-04", "BP");
  std::map<std::string, std::vector<const Exchange*>> failures;
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.status >= 400 && !IsProblem(exchange, "badNonce")) {
      result.Checked(exchange.id);
      failures[RequestKey(exchange)].push_back(&exchange);
    }
  }
  for (const auto& [key, same] : failures) {
    const std::vector<const Exchange*> window = DensestWindow(same);
    if (window.size() <= kMaxIdenticalFailures) {
      continue;
    }
    std::vector<std::uint64_t> ids;
    for (const Exchange* exchange : window) {
      ids.push_back(exchange->id);
    }
    const Exchange& first = *window.front();
    result.Note(std::to_string(window.size()) + " identical " + first.method + " " +
                    (first.kind.empty() ? first.url : first.kind) + " requests failed (" +
                    std::to_string(first.status) +
                    (first.problem_type.empty() ? "" : " " + first.problem_type) +
                    ") within 60s: " + IdList(ids) + "; back off, or change the request",
                ids);
  }
  // The other half: a 5xx is retried at all (the client's later exchanges never ask that URL).
  bool server_errors = false;
  for (std::size_t i = 0; i < client.exchanges.size(); ++i) {
    const Exchange& failed = client.exchanges[i];
    if (failed.status < 500) {
      continue;
    }
    server_errors = true;
    const bool retried = std::any_of(
        client.exchanges.begin() + static_cast<std::ptrdiff_t>(i) + 1, client.exchanges.end(),
        [&](const Exchange& later) { return later.url == failed.url; });
    if (!retried) {
      result.Note(Describe(failed) + " got " + std::to_string(failed.status) +
                      " and was never retried: a 5xx is temporary, retry it with backoff",
                  {failed.id});
    }
  }
  return result.Finish(std::string("no failing request was repeated unchanged more than 3 times "
                                   "in 60s") +
                           (server_errors ? "; every 5xx was retried" : ""),
                       "no failing request recorded");
}

// C-RL-01 (§6.6): after a 429, the same request waits Retry-After.
Finding JudgeRateLimited(const ClientRecord& client) {
  FindingBuilder result("C-RL-01", "BP");
  CheckRetryAfter(
      client, [](const Exchange& advertised) { return advertised.status == 429; }, result);
  return result.Finish("every 429 Retry-After was honoured",
                       "no 429 with Retry-After was followed by a retry");
}

// C-RL-02 (9110): after a 503 with Retry-After, the same request waits, on any endpoint.
Finding JudgeUnavailable(const ClientRecord& client) {
  FindingBuilder result("C-RL-02", "BP");
  CheckRetryAfter(
      client, [](const Exchange& advertised) { return advertised.status == 503; }, result);
  return result.Finish("every 503 Retry-After was honoured",
                       "no 503 with Retry-After was followed by a retry");
}

}  // namespace

std::vector<Rule> RateLimitRules() {
  return {
      {"C-ERR-04", "BP", "5xx is retried with backoff; permanent 4xx is not retried unchanged.",
       JudgeRepeatedFailures},
      {"C-RL-01", "BP", "On 429 the same request waits at least Retry-After.", JudgeRateLimited},
      {"C-RL-02", "BP", "503 with Retry-After is treated the same way on any endpoint.",
       JudgeUnavailable},
  };
}

}  // namespace mockca::report::rules
