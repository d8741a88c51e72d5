#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "common/result.hpp"

namespace faults {

// Reads optional members of one JSON object with strict type and range checks, keeping only the
// first error ("<prefix><member>: <why>"); every call after an error does nothing. An absent member
// leaves its target untouched, so callers set defaults first. Used by ParseFaultRule.
class JsonReader {
 public:
  // REQUIRES: object is a JSON object that outlives the reader.
  JsonReader(const nlohmann::json& object, std::string prefix);

  void Required(std::string_view name);
  // Integers in [min, max]; a float such as 2.0 is a type error.
  void Int(std::string_view name, std::int64_t min, std::int64_t max, int& out);
  void Int(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t& out);
  void Count(std::string_view name, std::int64_t min, std::int64_t max,
             std::optional<std::uint64_t>& out);
  void Probability(std::string_view name, std::optional<double>& out);
  void Bool(std::string_view name, bool& out);
  // Any string, "" included.
  void String(std::string_view name, std::string& out);
  // A non-empty string.
  void Text(std::string_view name, std::optional<std::string>& out);
  void OneOf(std::string_view name, std::initializer_list<std::string_view> allowed,
             std::string& out);
  // An HTTP header name (RFC 9110 token).
  void HeaderName(std::string_view name, std::string& out);
  // A rule id: 1..64 characters of [A-Za-z0-9._-], so it can be a URL path segment.
  void Id(std::string_view name, std::string& out);
  // A problem type: a short ACME type ("rateLimited"), its URN, or any other absolute URI
  // (F-ERR-UNKNOWN-TYPE). ACME types are stored as their full URN.
  void ProblemType(std::string_view name, std::string& out);
  // "retryAfter" (0..10^9 seconds) and "retryAfterFormat" ("seconds" | "http-date").
  void RetryAfter(std::optional<std::int64_t>& seconds, bool& http_date);

  common::Status<std::string> Finish() const;

 private:
  // The member, or null when it is absent or an error is already recorded.
  const nlohmann::json* Find(std::string_view name) const;
  void Fail(std::string_view name, std::string_view why);
  std::optional<std::int64_t> ReadInt(std::string_view name, std::int64_t min, std::int64_t max);

  const nlohmann::json& object_;
  const std::string prefix_;
  std::optional<std::string> error_;
};

// text as a JSON string, quotes included: user text in a one-line error, control characters
// escaped.
std::string Quoted(std::string_view text);
// A member name for an error message: as is, or Quoted when it has characters that need escaping.
std::string MemberName(std::string_view name);

}  // namespace faults
