#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.hpp"
#include "mockca/report/header_block.hpp"

namespace mockca::report {

using TimePoint = std::chrono::system_clock::time_point;
using Headers = HeaderBlock;  // names in their original case

// A flattened JWS as the client sent it, decoded as far as it decodes (conformance.md §0: "each
// decoded JWS"). Nothing here is trusted: the recorder fills it from the raw body.
struct RecordedJws {
  bool flattened_json = false;  // a JSON object with protected, payload and signature strings
  bool has_unprotected_header = false;  // a "header" member (C-JWS-01)
  bool has_signatures_array = false;    // general serialization (C-JWS-01)
  std::string protected_b64;            // as sent
  std::string payload_b64;              // as sent ("" for POST-as-GET)
  std::string signature_b64;            // as sent
  nlohmann::json protected_header;      // decoded; discarded when it does not decode
  nlohmann::json payload;               // decoded JSON; null for "" ; discarded when not JSON
  std::string alg, nonce, url, kid;     // from protected_header ("" when absent)
  nlohmann::json jwk;                   // protected_header["jwk"] or null
  // The key the signature is checked with, as "key:<RFC 7638 thumbprint>" (SignerOf): the jwk's,
  // or for a kid the account's key at that moment (from its newAccount, replaced by each keyChange
  // answered 200); "" when the recorder does not know it. mockca's WFE verified the signature with
  // that key unless the exchange was refused (badSignature..., unauthorized, accountDoesNotExist).
  std::string verifying_key;

  bool operator==(const RecordedJws&) const = default;
};

// One HTTP exchange with mockca's ACME listener.
struct Exchange {
  std::uint64_t id = 0;                   // unique in the server's run, increasing with arrival
  TimePoint received;                     // when the request was read
  std::chrono::microseconds duration{0};  // until the response was decided
  std::string remote;                     // "ip:port" of the connection
  std::string method;
  std::string url;   // absolute: "https://" + Host + target
  std::string kind;  // endpoint kind (wfe::EndpointKindOf): "newOrder", "order", ...; "" else
  Headers request_headers;
  std::string request_body;  // capped at kBodyCap bytes (request_body_truncated says so)
  bool request_body_truncated = false;
  std::optional<RecordedJws> jws;  // for a POST whose body is a JSON object
  // What reached the client: "" when the response was written; "closed" (dropped without a
  // response) or "reset" (head and half the body, then a reset) when a fault broke the delivery.
  // A closed one is recorded as status 0 with no response headers or body, a reset one with its
  // status and headers (sent: a Replay-Nonce there was handed out) but no body: no rule judges
  // the client by an answer it never got whole.
  std::string broken_delivery;
  int status = 0;
  Headers response_headers;
  std::string response_body;  // capped at kBodyCap bytes
  bool response_body_truncated = false;
  std::string problem_type;  // the response's problem "type", if it is a problem document
  std::vector<std::string> fault_rules;  // ids of the fault rules that fired for this exchange

  static constexpr std::size_t kBodyCap = 16 * 1024;

  // The first header of that name (case-insensitive) or "".
  std::string RequestHeader(std::string_view name) const;
  std::string ResponseHeader(std::string_view name) const;
};

// Nonce ledger (conformance.md §0): each nonce mockca handed out, who consumed it, and rejections.
struct NonceEntry {
  std::string nonce;
  std::uint64_t issued_by = 0;           // the exchange whose response carried it
  std::vector<std::uint64_t> used_by;    // every exchange whose JWS carried it, in order
  std::optional<std::string> rejection;  // why mockca refused it the first time, if it did
};

// Retry-After ledger: each advertised value and the next request for the same URL.
struct RetryAfterEntry {
  std::uint64_t advertised_by = 0;  // the exchange whose response carried Retry-After
  std::string url;                  // the URL it applies to: the Location the exchange returned,
                                    // else, for a finalize, the order's URL when known, else the
                                    // request URL
  std::string up_url;    // for a challenge answer: its authorization (Link rel="up"), which the
                         // client may poll instead of the challenge
  std::string value;     // as sent (delta-seconds or an HTTP-date)
  TimePoint not_before;  // when the client may ask again
  std::optional<std::uint64_t> next_request;  // the client's next exchange for url, if any
  std::optional<TimePoint> next_request_at;
};

// VA probe log (conformance.md §0): one validation attempt of a challenge of this client's
// account, with its result as the VA decided it (an injected failValidation included).
struct ProbeRecord {
  TimePoint started;
  std::chrono::microseconds duration{0};
  std::string challenge_type;  // "http-01", "dns-01", "tls-alpn-01"
  std::string identifier;      // the identifier's value
  std::string token;
  std::string target;        // what was probed: the URL, "TXT _acme-challenge.<name>", host:port
  bool valid = false;        // the attempt succeeded
  std::string problem_type;  // when not valid: the problem's type URN
  std::string detail;        // when not valid: its detail
};

// State history (conformance.md §0) as the client saw it: an object's status in a response body
// that differs from the status last served for the same URL. The order's status is derived at
// each read (S-ORD-05), so what mockca served is the history there is; the VA's own decisions are
// in the probe log.
struct StatusChange {
  std::uint64_t exchange = 0;  // the exchange whose response showed the new status
  TimePoint time;
  std::string object;  // "account", "order", "authz", "challenge"
  std::string url;     // the object's URL
  std::string from;    // "" the first time the object is seen
  std::string to;
};

// A fault that fired for this client's account outside the router's request and response stages
// (a nonce refused, an object held in processing, a validation failed, an issuance failed), as the
// fault engine logged it. Request and response faults are on their Exchange instead.
struct FaultEvent {
  TimePoint time;
  std::string rule;     // the rule id
  std::string fault;    // its kind, "stuckProcessing"
  std::string where;    // endpoint kind or challenge type
  std::string subject;  // "POST /order/abc", "http-01 a.test"
};

// One client as the report sees it: an account (by its URL), or, before an account exists, a key
// (its JWK thumbprint), or anonymous traffic (by User-Agent). Exchanges in arrival order.
struct ClientRecord {
  std::string id;           // the account URL, "key:<thumbprint>" or "anonymous:<User-Agent>"
  std::string account_url;  // once known
  std::string user_agent;   // the first one seen
  std::vector<Exchange> exchanges;  // the newest `cap` (older ones dropped; dropped says how many)
  std::uint64_t dropped = 0;
  std::map<std::string, NonceEntry> nonces;  // by nonce value: those this client used or was given
  std::vector<RetryAfterEntry> retry_after;
  std::vector<ProbeRecord> probes;       // the VA's attempts for this account, oldest first
  std::vector<StatusChange> states;      // each status change the client was served
  std::vector<FaultEvent> fault_events;  // faults fired below the router for this account
};

// A rule's judgement of one client (conformance.md §0 "Report mapping").
enum class Verdict { kPass, kFail, kWarn, kNote, kNotTested };
const char* VerdictName(Verdict verdict);  // "PASS", "FAIL", "WARN", "NOTE", "NOT-TESTED"

struct Finding {
  std::string rule;  // "C-NONCE-02"
  Verdict verdict = Verdict::kNotTested;
  std::string level;                    // "MUST", "SHOULD", "BP", "SEC", ... as in conformance.md
  std::string summary;                  // one line a client author understands
  std::vector<std::uint64_t> evidence;  // exchange ids that prove it (violations, or what was
                                        // checked for a PASS)
};

}  // namespace mockca::report
