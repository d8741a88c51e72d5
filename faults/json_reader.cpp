#include "faults/json_reader.hpp"

#include <utility>

#include "mockca/acme/problem.hpp"

namespace faults {

namespace {

constexpr std::string_view kAcmeErrorPrefix = "urn:ietf:params:acme:error:";

bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// RFC 3986 §3: scheme ":" and something, with no spaces or control characters.
bool IsAbsoluteUri(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == text.size() ||
      !IsAlpha(text[0])) {
    return false;
  }
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = text[i];
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return false;
    }
  }
  return true;
}

// RFC 9110 §5.6.2 tchar.
bool IsTokenChar(char c) {
  return IsAlpha(c) || IsDigit(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsIdChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '.' || c == '_' || c == '-';
}

}  // namespace

std::string Quoted(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string MemberName(std::string_view name) {
  const std::string quoted = Quoted(name);
  return quoted.size() == name.size() + 2 ? std::string(name) : quoted;
}

JsonReader::JsonReader(const nlohmann::json& object, std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {}

const nlohmann::json* JsonReader::Find(std::string_view name) const {
  if (error_) {
    return nullptr;
  }
  const auto it = object_.find(name);
  return it == object_.end() ? nullptr : &*it;
}

void JsonReader::Fail(std::string_view name, std::string_view why) {
  if (!error_) {
    error_ = prefix_ + MemberName(name) + ": " + std::string(why);
  }
}

common::Status<std::string> JsonReader::Finish() const {
  if (error_) {
    return *error_;
  }
  return {};
}

void JsonReader::Required(std::string_view name) {
  if (!error_ && object_.find(name) == object_.end()) {
    Fail(name, "required member is missing");
  }
}

std::optional<std::int64_t> JsonReader::ReadInt(std::string_view name, std::int64_t min,
                                                std::int64_t max) {
  const nlohmann::json* member = Find(name);
  if (member == nullptr) {
    return std::nullopt;
  }
  const std::string range =
      "must be an integer in " + std::to_string(min) + ".." + std::to_string(max);
  if (!member->is_number_integer()) {
    Fail(name, range);
    return std::nullopt;
  }
  // Unsigned values above int64's range are out of every range we accept.
  if (member->is_number_unsigned() &&
      member->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    Fail(name, range);
    return std::nullopt;
  }
  const std::int64_t value = member->get<std::int64_t>();
  if (value < min || value > max) {
    Fail(name, range);
    return std::nullopt;
  }
  return value;
}

void JsonReader::Int(std::string_view name, std::int64_t min, std::int64_t max, int& out) {
  if (const auto value = ReadInt(name, min, max)) {
    out = static_cast<int>(*value);  // callers keep [min, max] within int
  }
}

void JsonReader::Int(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t& out) {
  if (const auto value = ReadInt(name, min, max)) {
    out = *value;
  }
}

void JsonReader::Count(std::string_view name, std::int64_t min, std::int64_t max,
                       std::optional<std::uint64_t>& out) {
  if (const auto value = ReadInt(name, min, max)) {
    out = static_cast<std::uint64_t>(*value);
  }
}

void JsonReader::Probability(std::string_view name, std::optional<double>& out) {
  const nlohmann::json* member = Find(name);
  if (member == nullptr) {
    return;
  }
  const double value = member->is_number() ? member->get<double>() : -1;
  if (!(value >= 0 && value <= 1)) {
    Fail(name, "must be a number in [0, 1]");
    return;
  }
  out = value;
}

void JsonReader::Bool(std::string_view name, bool& out) {
  if (const nlohmann::json* member = Find(name)) {
    if (!member->is_boolean()) {
      return Fail(name, "must be true or false");
    }
    out = member->get<bool>();
  }
}

void JsonReader::String(std::string_view name, std::string& out) {
  if (const nlohmann::json* member = Find(name)) {
    if (!member->is_string()) {
      return Fail(name, "must be a string");
    }
    out = member->get<std::string>();
  }
}

void JsonReader::Text(std::string_view name, std::optional<std::string>& out) {
  if (const nlohmann::json* member = Find(name)) {
    if (!member->is_string() || member->get_ref<const std::string&>().empty()) {
      return Fail(name, "must be a non-empty string");
    }
    out = member->get<std::string>();
  }
}

void JsonReader::OneOf(std::string_view name, std::initializer_list<std::string_view> allowed,
                       std::string& out) {
  const nlohmann::json* member = Find(name);
  if (member == nullptr) {
    return;
  }
  std::string choices;
  for (std::string_view choice : allowed) {
    if (member->is_string() && member->get_ref<const std::string&>() == choice) {
      out = std::string(choice);
      return;
    }
    choices += (choices.empty() ? "\"" : ", \"") + std::string(choice) + "\"";
  }
  Fail(name, "must be one of " + choices);
}

void JsonReader::HeaderName(std::string_view name, std::string& out) {
  std::string value;
  String(name, value);
  if (error_ || object_.find(name) == object_.end()) {
    return;
  }
  bool token = !value.empty();
  for (const char c : value) {
    token = token && IsTokenChar(c);
  }
  if (!token) {
    return Fail(name, "must be an HTTP header name");
  }
  out = std::move(value);
}

void JsonReader::Id(std::string_view name, std::string& out) {
  std::string value;
  String(name, value);
  if (error_ || object_.find(name) == object_.end()) {
    return;
  }
  bool valid = !value.empty() && value.size() <= 64;
  for (const char c : value) {
    valid = valid && IsIdChar(c);
  }
  if (!valid) {
    return Fail(name, "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
  }
  out = std::move(value);
}

void JsonReader::ProblemType(std::string_view name, std::string& out) {
  std::string value;
  String(name, value);
  if (error_ || object_.find(name) == object_.end()) {
    return;
  }
  if (const auto type = mockca::acme::ProblemTypeNamed(value)) {
    out = mockca::acme::TypeUrn(*type);  // short or full: stored as the full URN
    return;
  }
  if (value.starts_with(kAcmeErrorPrefix)) {
    return Fail(name, "unknown ACME error type " + Quoted(value));
  }
  if (!IsAbsoluteUri(value)) {
    return Fail(name, "must be an ACME error type (\"rateLimited\") or an absolute URI, not " +
                          Quoted(value));
  }
  out = std::move(value);
}

void JsonReader::RetryAfter(std::optional<std::int64_t>& seconds, bool& http_date) {
  if (const auto value = ReadInt("retryAfter", 0, 1'000'000'000)) {
    seconds = *value;
  }
  std::string format;
  OneOf("retryAfterFormat", {"seconds", "http-date"}, format);
  if (!error_ && !format.empty() && !seconds) {
    return Fail("retryAfterFormat", "needs retryAfter");
  }
  http_date = format == "http-date";
}

}  // namespace faults
