#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.hpp"
#include "mockca/report/records.hpp"

// Helpers shared by the client rules (conformance.md Part B). Pure functions over the records;
// nothing here trusts what the client sent.
namespace mockca::report::rules {

// Collects what one rule checked and what it found, and renders the Finding by the report
// mapping of conformance.md §0: the worst violation wins (FAIL > WARN > NOTE); with none, PASS if
// the situation arose (Checked was called), NOT-TESTED otherwise. Never a default PASS.
class FindingBuilder {
 public:
  FindingBuilder(std::string rule, std::string level);

  // The situation the rule is about arose in exchange (PASS evidence).
  void Checked(std::uint64_t exchange);
  // A violation: verdict is kFail, kWarn or kNote; evidence the exchanges that prove it.
  void Violation(Verdict verdict, std::string summary, std::vector<std::uint64_t> evidence);
  void Fail(std::string summary, std::vector<std::uint64_t> evidence);
  void Warn(std::string summary, std::vector<std::uint64_t> evidence);
  void Note(std::string summary, std::vector<std::uint64_t> evidence);

  // The finding. pass is the summary of a PASS; not_tested that of a NOT-TESTED. A violation's
  // summary is its first one at the worst level, plus "(and N more)".
  Finding Finish(std::string_view pass, std::string_view not_tested) const;

 private:
  struct Found {
    Verdict verdict;
    std::string summary;
    std::vector<std::uint64_t> evidence;
  };
  std::string rule_;
  std::string level_;
  std::vector<std::uint64_t> checked_;
  std::vector<Found> found_;
};

// --- Exchanges ---------------------------------------------------------------------------------

// The first header of that name (case-insensitive), or "" (Exchange::RequestHeader semantics,
// usable on any Headers list).
std::string HeaderValue(const Headers& headers, std::string_view name);
bool HasHeader(const Headers& headers, std::string_view name);

// A POST that carries a JWS (its body was a JSON object).
bool IsSignedPost(const Exchange& exchange);
// A signed POST whose payload is "" (RFC 8555 §6.3 POST-as-GET).
bool IsPostAsGet(const Exchange& exchange);
// The exchange with that id, or nullptr (dropped, or never this client's).
const Exchange* FindExchange(const ClientRecord& client, std::uint64_t id);
// "#12 POST newOrder": the id, the method and the endpoint kind (or the URL when unknown).
std::string Describe(const Exchange& exchange);
// "#12, #15".
std::string IdList(const std::vector<std::uint64_t>& ids);
// The response body as JSON, or null when it is not JSON (or was truncated).
nlohmann::json ResponseJson(const Exchange& exchange);
// Whether the response is a problem document of that ACME type ("badNonce", "orderNotReady").
bool IsProblem(const Exchange& exchange, std::string_view acme_type);
// The JWS payload when it is a JSON object, else nullptr.
const nlohmann::json* PayloadObject(const Exchange& exchange);
// The string member key of object, or nullopt (also when object is not an object).
std::optional<std::string> StringMember(const nlohmann::json& object, std::string_view key);

// The account URLs the client was given: the Location of every successful newAccount response,
// and client.account_url. Empty when none is known.
std::set<std::string> AccountUrls(const ClientRecord& client);

// --- Retry-After -------------------------------------------------------------------------------

// How much earlier than Retry-After a request may come before it counts as early (C-ORD-07:
// "< RA - 0.5 s"); also absorbs HTTP-date rounding for C-CHAL-09 and C-RL-01/-02.
inline constexpr std::chrono::milliseconds kRetryAfterSlack{500};

// Checks every Retry-After ledger entry whose advertising exchange satisfies applies and that the
// client followed with a request for the same URL (an entry never followed up is not judged, so a
// client that gives up gets NOT-TESTED, not PASS): a next request earlier than not_before -
// kRetryAfterSlack is a NOTE naming both exchanges. Entries whose advertising exchange was
// dropped are skipped.
template <typename Applies>
void CheckRetryAfter(const ClientRecord& client, Applies applies, FindingBuilder& result);
void NoteEarlyRequest(const ClientRecord& client, const RetryAfterEntry& entry,
                      const Exchange& advertised, FindingBuilder& result);

// --- Encodings ---------------------------------------------------------------------------------

// Whether text holds a character base64url (RFC 4648 §5, unpadded) never has: '=', '+' or '/'.
bool HasPaddingOrStdAlphabet(std::string_view text);
// Which of '=', '+', '/' text holds, e.g. "'=' '/'".
std::string OffendingChars(std::string_view text);
// Decodes base64 or base64url, padded or not (for reading what a client sent, not for judging
// it); nullopt for any other character or an impossible length.
std::optional<std::string> DecodeBase64Lenient(std::string_view text);
// Decodes a base64url JSON object member (a JWS protected header or payload); null when it does
// not decode.
nlohmann::json DecodeJsonMember(std::string_view b64);
// Whether der is exactly one DER SEQUENCE (tag 0x30, definite length, no trailing bytes).
bool IsSingleDerSequence(std::string_view der);

// What is wrong with text as the base64url of one DER structure (a csr, a certificate), or ""
// when nothing is: "is PEM text", "has '=' padding", "uses the standard base64 alphabet ('+' '/')",
// "is not base64url", "does not decode to one DER SEQUENCE".
std::string DerFieldProblem(std::string_view text);

// --- Formatting --------------------------------------------------------------------------------

// "…a1b2c3": the last characters of a nonce (or another long token).
std::string Tail(std::string_view token);
// Seconds with one decimal: "2.5s".
std::string Seconds(std::chrono::microseconds duration);

template <typename Applies>
void CheckRetryAfter(const ClientRecord& client, Applies applies, FindingBuilder& result) {
  for (const RetryAfterEntry& entry : client.retry_after) {
    const Exchange* advertised = FindExchange(client, entry.advertised_by);
    if (advertised != nullptr && applies(*advertised)) {
      NoteEarlyRequest(client, entry, *advertised, result);
    }
  }
}

}  // namespace mockca::report::rules
