// B.3 Nonces (C-NONCE): JWS nonces against the nonce ledger and the badNonce exchanges.
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// C-NONCE-01 (§6.5): every JWS carries a nonce mockca issued.
Finding JudgeNonceIssued(const ClientRecord& client) {
  FindingBuilder result("C-NONCE-01", "MUST");
  for (const Exchange& exchange : client.exchanges) {
    if (!IsSignedPost(exchange) || !exchange.jws->protected_header.is_object()) {
      continue;  // no decodable protected header: C-JWS-01/-02 report it
    }
    result.Checked(exchange.id);
    const std::string& nonce = exchange.jws->nonce;
    if (nonce.empty()) {
      result.Fail(Describe(exchange) + " carries no nonce", {exchange.id});
      continue;
    }
    const auto entry = client.nonces.find(nonce);
    if (entry == client.nonces.end() || entry->second.issued_by == 0) {
      result.Fail(Describe(exchange) + " uses nonce " + Tail(nonce) + ", which mockca never issued",
                  {exchange.id});
    }
  }
  return result.Finish("every JWS carries a nonce mockca issued", "no signed POST recorded");
}

// C-NONCE-02 (§6.5): a nonce is used once, counted even when the first request failed.
Finding JudgeNonceReuse(const ClientRecord& client) {
  FindingBuilder result("C-NONCE-02", "MUST");
  std::map<std::string, std::set<std::uint64_t>> users;
  for (const Exchange& exchange : client.exchanges) {
    if (IsSignedPost(exchange) && !exchange.jws->nonce.empty()) {
      result.Checked(exchange.id);
      users[exchange.jws->nonce].insert(exchange.id);
    }
  }
  for (const auto& [nonce, entry] : client.nonces) {
    users[nonce].insert(entry.used_by.begin(), entry.used_by.end());
  }
  for (const auto& [nonce, ids] : users) {
    if (ids.size() > 1) {
      const std::vector<std::uint64_t> evidence(ids.begin(), ids.end());
      result.Fail("nonce " + Tail(nonce) + " reused by requests " + IdList(evidence), evidence);
    }
  }
  return result.Finish("no nonce was used twice", "no signed POST recorded");
}

// The first exchange after `after` with the same method and URL, or nullptr.
const Exchange* NextSameRequest(const ClientRecord& client, std::size_t after) {
  const Exchange& first = client.exchanges[after];
  for (std::size_t i = after + 1; i < client.exchanges.size(); ++i) {
    const Exchange& next = client.exchanges[i];
    if (next.method == first.method && next.url == first.url) {
      return &next;
    }
  }
  return nullptr;
}

// C-NONCE-03 (§6.5): after badNonce, retry (SHOULD) with the error's Replay-Nonce (MUST).
Finding JudgeBadNonceRetry(const ClientRecord& client) {
  FindingBuilder result("C-NONCE-03", "SHOULD / MUST");
  for (std::size_t i = 0; i < client.exchanges.size(); ++i) {
    const Exchange& rejected = client.exchanges[i];
    if (!IsProblem(rejected, "badNonce")) {
      continue;
    }
    result.Checked(rejected.id);
    const Exchange* retry = NextSameRequest(client, i);
    if (retry == nullptr) {
      result.Warn("no retry after the badNonce answer to " + Describe(rejected), {rejected.id});
      continue;
    }
    result.Checked(retry->id);
    // With no Replay-Nonce in the error (F-NONCE-OMIT-ERR) any fresh nonce is right: C-NONCE-08.
    const std::string given = HeaderValue(rejected.response_headers, "Replay-Nonce");
    const std::string used = retry->jws ? retry->jws->nonce : std::string();
    if (!given.empty() && used != given) {
      result.Fail("retry #" + std::to_string(retry->id) + " of " + Describe(rejected) +
                      " used nonce " + (used.empty() ? std::string("(none)") : Tail(used)) +
                      ", not " + Tail(given) + " from the badNonce response",
                  {rejected.id, retry->id});
    }
  }
  return result.Finish("every badNonce was retried with the nonce it carried",
                       "no badNonce answer recorded");
}

// C-NONCE-04 (§7.2, BP): newNonce requests per signed POST at most 0.5.
Finding JudgeNewNonceRatio(const ClientRecord& client) {
  FindingBuilder result("C-NONCE-04", "BP");
  std::vector<std::uint64_t> new_nonce;
  std::size_t posts = 0;
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.kind == "newNonce") {
      new_nonce.push_back(exchange.id);
    } else if (IsSignedPost(exchange)) {
      ++posts;
      result.Checked(exchange.id);
    }
  }
  if (posts > 0 && new_nonce.size() * 2 > posts) {
    char ratio[16];
    std::snprintf(ratio, sizeof ratio, "%.2f", static_cast<double>(new_nonce.size()) / posts);
    result.Note(std::to_string(new_nonce.size()) + " newNonce requests for " +
                    std::to_string(posts) + " signed POSTs (" + ratio +
                    " > 0.5): reuse the Replay-Nonce of the last response",
                new_nonce);
  }
  return result.Finish("newNonce requests per signed POST stay at or under 0.5",
                       "no signed POST recorded");
}

// C-NONCE-06 (§6.5.1): no Replay-Nonce header in requests.
Finding JudgeReplayNonceRequestHeader(const ClientRecord& client) {
  FindingBuilder result("C-NONCE-06", "SHOULD NOT");
  std::vector<std::uint64_t> with_header;
  for (const Exchange& exchange : client.exchanges) {
    result.Checked(exchange.id);
    if (HasHeader(exchange.request_headers, "Replay-Nonce")) {
      with_header.push_back(exchange.id);
    }
  }
  if (!with_header.empty()) {
    result.Warn(std::to_string(with_header.size()) +
                    " request(s) send a Replay-Nonce header, first #" +
                    std::to_string(with_header.front()),
                with_header);
  }
  return result.Finish("no request carries a Replay-Nonce header", "no request recorded");
}

}  // namespace

std::vector<Rule> NonceRules() {
  return {
      {"C-NONCE-01", "MUST", "Every JWS carries a nonce this server issued.", JudgeNonceIssued},
      {"C-NONCE-02", "MUST", "A nonce is never used twice.", JudgeNonceReuse},
      {"C-NONCE-03", "SHOULD / MUST",
       "After badNonce the client retries, with the nonce from the error response.",
       JudgeBadNonceRetry},
      {"C-NONCE-04", "BP",
       "Reuses the Replay-Nonce of the last response instead of a newNonce before every POST.",
       JudgeNewNonceRatio},
      {"C-NONCE-06", "SHOULD NOT", "No Replay-Nonce header in requests.",
       JudgeReplayNonceRequestHeader},
  };
}

}  // namespace mockca::report::rules
