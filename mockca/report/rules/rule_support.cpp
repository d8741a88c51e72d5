#include "mockca/report/rules/rule_support.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "common/ascii.hpp"
#include "common/json_parse.hpp"
#include "mockca/report/exchange_builder.hpp"

namespace mockca::report::rules {
namespace {

constexpr std::string_view kAcmeErrorPrefix = "urn:ietf:params:acme:error:";

// Severity order for "the worst violation wins".
int Rank(Verdict verdict) {
  switch (verdict) {
    case Verdict::kFail:
      return 3;
    case Verdict::kWarn:
      return 2;
    case Verdict::kNote:
      return 1;
    default:
      return 0;
  }
}

void AppendUnique(std::vector<std::uint64_t>& to, const std::vector<std::uint64_t>& ids) {
  for (const std::uint64_t id : ids) {
    if (std::find(to.begin(), to.end(), id) == to.end()) {
      to.push_back(id);
    }
  }
}

// The value of one base64 or base64url character, or -1.
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+' || c == '-') {
    return 62;
  }
  if (c == '/' || c == '_') {
    return 63;
  }
  return -1;
}

}  // namespace

FindingBuilder::FindingBuilder(std::string rule, std::string level)
    : rule_(std::move(rule)), level_(std::move(level)) {}

void FindingBuilder::Checked(std::uint64_t exchange) {
  AppendUnique(checked_, {exchange});
}

void FindingBuilder::Violation(Verdict verdict, std::string summary,
                               std::vector<std::uint64_t> evidence) {
  found_.push_back({verdict, std::move(summary), std::move(evidence)});
}

void FindingBuilder::Fail(std::string summary, std::vector<std::uint64_t> evidence) {
  Violation(Verdict::kFail, std::move(summary), std::move(evidence));
}

void FindingBuilder::Warn(std::string summary, std::vector<std::uint64_t> evidence) {
  Violation(Verdict::kWarn, std::move(summary), std::move(evidence));
}

void FindingBuilder::Note(std::string summary, std::vector<std::uint64_t> evidence) {
  Violation(Verdict::kNote, std::move(summary), std::move(evidence));
}

Finding FindingBuilder::Finish(std::string_view pass, std::string_view not_tested) const {
  Finding finding;
  finding.rule = rule_;
  finding.level = level_;
  int worst = 0;
  for (const Found& found : found_) {
    worst = std::max(worst, Rank(found.verdict));
  }
  if (worst == 0) {
    finding.verdict = checked_.empty() ? Verdict::kNotTested : Verdict::kPass;
    finding.summary = checked_.empty() ? not_tested : pass;
    finding.evidence = checked_;
    return finding;
  }
  std::size_t count = 0;
  for (const Found& found : found_) {
    if (Rank(found.verdict) != worst) {
      continue;
    }
    if (count++ == 0) {
      finding.verdict = found.verdict;
      finding.summary = found.summary;
    }
    AppendUnique(finding.evidence, found.evidence);
  }
  if (count > 1) {
    finding.summary += " (and " + std::to_string(count - 1) + " more)";
  }
  return finding;
}

std::string HeaderValue(const Headers& headers, std::string_view name) {
  return std::string(headers.First(name).value_or(""));
}

bool HasHeader(const Headers& headers, std::string_view name) {
  return headers.First(name).has_value();
}

bool IsSignedPost(const Exchange& exchange) {
  return exchange.method == "POST" && exchange.jws.has_value();
}

bool IsPostAsGet(const Exchange& exchange) {
  return IsSignedPost(exchange) && exchange.jws->flattened_json &&
         exchange.jws->payload_b64.empty();
}

const Exchange* FindExchange(const ClientRecord& client, std::uint64_t id) {
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.id == id) {
      return &exchange;
    }
  }
  return nullptr;
}

std::string Describe(const Exchange& exchange) {
  return "#" + std::to_string(exchange.id) + " " + exchange.method + " " +
         (exchange.kind.empty() ? exchange.url : exchange.kind);
}

std::string IdList(const std::vector<std::uint64_t>& ids) {
  std::string out;
  for (const std::uint64_t id : ids) {
    out += (out.empty() ? "#" : ", #") + std::to_string(id);
  }
  return out;
}

nlohmann::json ResponseJson(const Exchange& exchange) {
  if (exchange.response_body_truncated) {
    return nullptr;
  }
  nlohmann::json body = nlohmann::json::parse(exchange.response_body, nullptr, false);
  return body.is_discarded() ? nlohmann::json(nullptr) : body;
}

bool IsProblem(const Exchange& exchange, std::string_view acme_type) {
  const std::string_view type = exchange.problem_type;
  return type.size() == kAcmeErrorPrefix.size() + acme_type.size() &&
         type.substr(0, kAcmeErrorPrefix.size()) == kAcmeErrorPrefix &&
         type.substr(kAcmeErrorPrefix.size()) == acme_type;
}

const nlohmann::json* PayloadObject(const Exchange& exchange) {
  if (!IsSignedPost(exchange) || !exchange.jws->payload.is_object()) {
    return nullptr;
  }
  return &exchange.jws->payload;
}

std::optional<std::string> StringMember(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) {
    return std::nullopt;
  }
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::set<std::string> AccountUrls(const ClientRecord& client) {
  std::set<std::string> urls;
  if (!client.account_url.empty()) {
    urls.insert(client.account_url);
  }
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.kind == "newAccount" && (exchange.status == 200 || exchange.status == 201)) {
      const std::string location = HeaderValue(exchange.response_headers, "Location");
      if (!location.empty()) {
        // A path is absolute against the request's origin, as the recorder stores it.
        urls.insert(AbsoluteUrl(location, OriginOf(exchange.url)));
      }
    }
  }
  return urls;
}

void NoteEarlyRequest(const ClientRecord& client, const RetryAfterEntry& entry,
                      const Exchange& advertised, FindingBuilder& result) {
  if (!entry.next_request || !entry.next_request_at) {
    return;  // never asked again: nothing to judge (a client that gives up is not "honouring")
  }
  result.Checked(advertised.id);
  result.Checked(*entry.next_request);
  if (*entry.next_request_at >= entry.not_before - kRetryAfterSlack) {
    return;
  }
  const Exchange* next = FindExchange(client, *entry.next_request);
  const auto waited = std::chrono::duration_cast<std::chrono::microseconds>(*entry.next_request_at -
                                                                            advertised.received);
  const auto early = std::chrono::duration_cast<std::chrono::microseconds>(entry.not_before -
                                                                           *entry.next_request_at);
  result.Note((next != nullptr ? Describe(*next) : "#" + std::to_string(*entry.next_request)) +
                  " came " + Seconds(waited) + " after " + Describe(advertised) + " answered " +
                  std::to_string(advertised.status) + " with Retry-After: " + entry.value + " (" +
                  Seconds(early) + " early)",
              {advertised.id, *entry.next_request});
}

bool HasPaddingOrStdAlphabet(std::string_view text) {
  return text.find_first_of("=+/") != std::string_view::npos;
}

std::string OffendingChars(std::string_view text) {
  std::string out;
  for (const char c : {'=', '+', '/'}) {
    if (text.find(c) != std::string_view::npos) {
      out += (out.empty() ? "'" : " '") + std::string(1, c) + "'";
    }
  }
  return out;
}

std::optional<std::string> DecodeBase64Lenient(std::string_view text) {
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
  }
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned int buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = Base64Value(c);
    if (value < 0) {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<unsigned int>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFFu));
    }
  }
  return out;
}

nlohmann::json DecodeJsonMember(std::string_view b64) {
  const std::optional<std::string> bytes = DecodeBase64Lenient(b64);
  if (!bytes) {
    return nullptr;
  }
  auto value = common::ParseJson(*bytes);
  return value ? std::move(value).value() : nlohmann::json(nullptr);
}

bool IsSingleDerSequence(std::string_view der) {
  if (der.size() < 2 || static_cast<unsigned char>(der[0]) != 0x30) {
    return false;
  }
  const auto first = static_cast<unsigned char>(der[1]);
  std::size_t header = 2;
  std::size_t length = first;
  if (first & 0x80u) {
    const std::size_t octets = first & 0x7Fu;
    if (octets == 0 || octets > 4 || der.size() < 2 + octets) {
      return false;  // indefinite (BER) or absurd lengths are not DER
    }
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) {
      length = (length << 8) | static_cast<unsigned char>(der[2 + i]);
    }
    header += octets;
  }
  return der.size() == header + length;
}

std::string DerFieldProblem(std::string_view text) {
  if (text.find("-----BEGIN") != std::string_view::npos) {
    return "is PEM text";
  }
  if (text.find('=') != std::string_view::npos) {
    return "has '=' padding";
  }
  if (text.find_first_of("+/") != std::string_view::npos) {
    return "uses the standard base64 alphabet (" + OffendingChars(text) + ")";
  }
  const std::optional<std::string> der = DecodeBase64Lenient(text);
  if (!der) {
    return "is not base64url";
  }
  if (!IsSingleDerSequence(*der)) {
    return "does not decode to one DER SEQUENCE";
  }
  return "";
}

std::string Tail(std::string_view token) {
  constexpr std::size_t kShown = 8;
  if (token.size() <= kShown) {
    return std::string(token);
  }
  return "\xE2\x80\xA6" + std::string(token.substr(token.size() - kShown));
}

std::string Seconds(std::chrono::microseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1fs", static_cast<double>(duration.count()) / 1e6);
  return text;
}

}  // namespace mockca::report::rules
