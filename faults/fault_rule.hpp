#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.hpp"
#include "common/result.hpp"

namespace faults {

// Where in the server a fault kind takes effect; each hook asks the engine about its own stage
// only (FaultEngine::Match), so a rule never fires at a point that cannot carry it out.
enum class Stage {
  kRequest,     // mockca, before the handler: replace the response, delay, drop the connection
  kResponse,    // mockca, after the handler: mutate the response it produced
  kNonce,       // mockca, when a JWS nonce is redeemed / a Replay-Nonce is handed out
  kValidation,  // mockca VA, once per validation attempt of a challenge
  kState,       // mockca, when an order / authz / challenge is read: hold or change its status
  kIssuance,    // mockca, at finalize / certificate download
  kDns,         // mockdns, once per DNS question
};

// Every fault kind of the catalogue (conformance.md Part C). The JSON name is in quotes.
enum class FaultKind {
  // kRequest
  kError,      // "error": status, problem type, detail, Retry-After; optionally no Replay-Nonce
  kEmpty200,   // "empty200": 200 with an empty body
  kHtmlError,  // "htmlError": status (default 502), an HTML body, no Replay-Nonce (F-HTML-5XX)
  kDelay,      // "delay": wait delay_ms, then answer normally (combines with any other fault)
  kDrop,       // "drop": close the connection without a response (before the handler runs)
  kDropAfter,  // "dropAfter": run the handler (state changes), then close without a response
  kReset,      // "reset": send the head and part of the body, then reset the connection
  // kResponse
  kContentType,   // "contentType": set Content-Type to value ("" removes it)
  kTruncateBody,  // "truncateBody": cut the body to half its length
  kInvalidJson,   // "invalidJson": replace the body by text that is not JSON
  kExtraFields,   // "extraFields": add unknown members to a JSON object body (directory too)
  kOmitHeader,    // "omitHeader": remove the header `header` (Replay-Nonce, Location, Link, ...)
  // kNonce
  kBadNonce,      // "badNonce": refuse an otherwise valid nonce with badNonce
  kNonceExpiry,   // "nonceExpiry": nonces older than seconds are refused with badNonce
  kInvalidNonce,  // "invalidNonce": hand out a Replay-Nonce that will never be accepted
  // kValidation
  kFailValidation,  // "failValidation": the attempt fails with problem type/detail
  // kState
  kStuckProcessing,  // "stuckProcessing": show an order / challenge as processing for polls reads
  kSetAuthzStatus,   // "setAuthzStatus": turn a valid authz to status (invalid/deactivated/expired)
  // kIssuance
  kFailIssuance,    // "failIssuance": finalize is accepted, then the order becomes invalid
  kAlternateChain,  // "alternateChain": the default certificate URL serves chain `chain`
  kReorderChain,    // "reorderChain": the chain's certificates in reverse order (leaf last)
  // kDns
  kDnsServfail,  // "servfail"
  kDnsNxdomain,  // "nxdomain"
  kDnsRefused,   // "refused"
  kDnsTimeout,   // "timeout": no answer at all
  kDnsTruncate,  // "truncate": TC bit and no answers over UDP (forces TCP); TCP is answered
  kDnsWrong,     // "wrongAnswer": answers with value (an address, or TXT text) instead
  kDnsDelay,     // "dnsDelay": answer after delay_ms
};

Stage StageOf(FaultKind kind);
const char* NameOf(FaultKind kind);

// What happens, with its parameters (unused ones keep their defaults).
struct Fault {
  FaultKind kind = FaultKind::kError;
  int status = 0;            // kError (default 500), kHtmlError (default 502)
  std::string problem_type;  // kError, kFailValidation: short ("rateLimited") or full URN
  std::string detail;        // kError, kFailValidation
  std::optional<std::int64_t> retry_after;  // kError: seconds; sent as delta-seconds or a date
  bool retry_after_http_date = false;       // kError: Retry-After as an IMF-fixdate
  bool omit_nonce = false;                  // kError: no Replay-Nonce on the reply
  std::int64_t delay_ms = 0;                // kDelay, kDnsDelay
  std::string value;         // kContentType; kDnsWrong (IPv4/IPv6 text or TXT string)
  std::string header;        // kOmitHeader
  std::int64_t seconds = 0;  // kNonceExpiry
  int polls = 0;             // kStuckProcessing: reads that still show processing
  // kSetAuthzStatus: "deactivated" | "expired" | "revoked"; "invalid" is served as revoked (RFC
  // 8555 §7.1.6 has no valid -> invalid transition).
  std::string authz_status;
  int chain = 1;  // kAlternateChain
};

// Which requests a rule takes. Every condition given must hold (AND); none given: all.
// Counting (nth/every/first) is over the requests that passed the other filters, per rule.
struct Match {
  std::optional<std::uint64_t> nth;       // only the nth matching request (1-based)
  std::optional<std::uint64_t> every;     // every nth: the nth, 2nth, ...
  std::optional<std::uint64_t> first;     // the first K
  std::optional<double> probability;      // each with chance p in [0, 1], drawn from the seed
  std::optional<std::string> account;     // account URL or id (suffix match on the URL)
  std::optional<std::string> identifier;  // an identifier value of the request / challenge
  std::optional<std::string> dns_name;    // kDns: the question name, case-insensitive, no dot
  std::optional<std::string> dns_type;    // kDns: "A", "AAAA", "TXT", "CAA", ...
  std::optional<std::string> method;      // "GET", "POST", "HEAD"
};

// One rule: where × which × what × how long.
struct FaultRule {
  std::string id;  // given, or assigned by the engine ("r1", "r2", ...)
  // Endpoint kinds (directory, newNonce, newAccount, account, newOrder, order, authz, challenge,
  // finalize, certificate, revokeCert, keyChange, renewalInfo), challenge types for kValidation
  // (http-01, dns-01, tls-alpn-01), "dns" for kDns; "*" or empty: anywhere the stage applies.
  std::vector<std::string> where;
  Match when;
  Fault what;
  std::optional<std::uint64_t> times;  // fires at most this many times; absent: until removed
};

// The JSON form (README "Faults"):
//   {"id": "r1", "where": "newOrder" | ["order", "finalize"],
//    "when": {"nth": 2, "every": 3, "first": 1, "probability": 0.3, "account": "...",
//             "identifier": "a.example", "dnsName": "_acme-challenge.a.example", "dnsType": "TXT",
//             "method": "POST"},
//    "fault": "error", "status": 503, "type": "serverInternal", "detail": "...",
//    "retryAfter": 5, "retryAfterFormat": "seconds" | "http-date", "omitNonce": true,
//    "delayMs": 200, "value": "...", "header": "Replay-Nonce", "seconds": 30, "polls": 3,
//    "authzStatus": "invalid", "chain": 1,
//    "times": 1}
// "fault" is required; unknown members, wrong types, out-of-range values (status outside
// 100..599, probability outside [0, 1], a "where" that the fault's stage cannot serve) are errors
// naming the member. Errors: one line of text.
common::Result<FaultRule, std::string> ParseFaultRule(const nlohmann::json& json);
nlohmann::json ToJson(const FaultRule& rule);

// A list of rules: a JSON array of rule objects, or {"faults": [...]}. The first error wins,
// prefixed with the rule's index ("faults[2].when.nth: ...").
common::Result<std::vector<FaultRule>, std::string> ParseFaultRules(const nlohmann::json& json);

}  // namespace faults
