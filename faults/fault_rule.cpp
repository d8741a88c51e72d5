#include "faults/fault_rule.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <set>
#include <string_view>
#include <utility>

#include "faults/json_reader.hpp"
#include "mockca/acme/problem.hpp"

// The JSON form of a rule (header comment): strict parsing, canonical output. Member readers live
// in json_reader.cpp; this file knows which member belongs to which fault kind.
namespace faults {

namespace {

using common::MakeErr;
using Error = std::string;

struct KindInfo {
  FaultKind kind;
  const char* name;
  Stage stage;
};

constexpr std::array<KindInfo, 28> kKinds = {{
    {FaultKind::kError, "error", Stage::kRequest},
    {FaultKind::kEmpty200, "empty200", Stage::kRequest},
    {FaultKind::kHtmlError, "htmlError", Stage::kRequest},
    {FaultKind::kDelay, "delay", Stage::kRequest},
    {FaultKind::kDrop, "drop", Stage::kRequest},
    {FaultKind::kDropAfter, "dropAfter", Stage::kRequest},
    {FaultKind::kReset, "reset", Stage::kRequest},
    {FaultKind::kContentType, "contentType", Stage::kResponse},
    {FaultKind::kTruncateBody, "truncateBody", Stage::kResponse},
    {FaultKind::kInvalidJson, "invalidJson", Stage::kResponse},
    {FaultKind::kExtraFields, "extraFields", Stage::kResponse},
    {FaultKind::kOmitHeader, "omitHeader", Stage::kResponse},
    {FaultKind::kBadNonce, "badNonce", Stage::kNonce},
    {FaultKind::kNonceExpiry, "nonceExpiry", Stage::kNonce},
    {FaultKind::kInvalidNonce, "invalidNonce", Stage::kNonce},
    {FaultKind::kFailValidation, "failValidation", Stage::kValidation},
    {FaultKind::kStuckProcessing, "stuckProcessing", Stage::kState},
    {FaultKind::kSetAuthzStatus, "setAuthzStatus", Stage::kState},
    {FaultKind::kFailIssuance, "failIssuance", Stage::kIssuance},
    {FaultKind::kAlternateChain, "alternateChain", Stage::kIssuance},
    {FaultKind::kReorderChain, "reorderChain", Stage::kIssuance},
    {FaultKind::kDnsServfail, "servfail", Stage::kDns},
    {FaultKind::kDnsNxdomain, "nxdomain", Stage::kDns},
    {FaultKind::kDnsRefused, "refused", Stage::kDns},
    {FaultKind::kDnsTimeout, "timeout", Stage::kDns},
    {FaultKind::kDnsTruncate, "truncate", Stage::kDns},
    {FaultKind::kDnsWrong, "wrongAnswer", Stage::kDns},
    {FaultKind::kDnsDelay, "dnsDelay", Stage::kDns},
}};

const KindInfo& InfoOf(FaultKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) {
      return info;
    }
  }
  return kKinds[0];  // unreachable: every enumerator is in the table
}

// The parameter members each kind takes besides id/where/when/fault/times; any other is an error.
std::set<std::string_view> ParametersOf(FaultKind kind) {
  switch (kind) {
    case FaultKind::kError:
      return {"status", "type", "detail", "retryAfter", "retryAfterFormat", "omitNonce"};
    case FaultKind::kHtmlError:
      return {"status"};
    case FaultKind::kDelay:
    case FaultKind::kDnsDelay:
      return {"delayMs"};
    case FaultKind::kContentType:
    case FaultKind::kDnsWrong:
      return {"value"};
    case FaultKind::kOmitHeader:
      return {"header"};
    case FaultKind::kNonceExpiry:
      return {"seconds"};
    case FaultKind::kFailValidation:
      return {"type", "detail"};
    case FaultKind::kStuckProcessing:
      return {"polls"};
    case FaultKind::kSetAuthzStatus:
      return {"authzStatus"};
    case FaultKind::kAlternateChain:
      return {"chain"};
    default:
      return {};
  }
}

const char* StageName(Stage stage) {
  switch (stage) {
    case Stage::kRequest:
      return "request";
    case Stage::kResponse:
      return "response";
    case Stage::kNonce:
      return "nonce";
    case Stage::kValidation:
      return "validation";
    case Stage::kState:
      return "state";
    case Stage::kIssuance:
      return "issuance";
    case Stage::kDns:
      return "dns";
  }
  return "?";
}

// Whether name is a parameter of some kind (so the error can say "not a parameter of <kind>").
bool IsParameterName(std::string_view name) {
  for (const KindInfo& info : kKinds) {
    if (ParametersOf(info.kind).count(name) != 0) {
      return true;
    }
  }
  return false;
}

nlohmann::json WhenToJson(const Match& when) {
  nlohmann::json json = nlohmann::json::object();
  const auto put = [&json](const char* name, const auto& value) {
    if (value) {
      json[name] = *value;
    }
  };
  put("nth", when.nth);
  put("every", when.every);
  put("first", when.first);
  put("probability", when.probability);
  put("account", when.account);
  put("identifier", when.identifier);
  put("dnsName", when.dns_name);
  put("dnsType", when.dns_type);
  put("method", when.method);
  return json;
}

// The parameters of fault.kind, all of them (defaults included): the canonical form.
void ParametersToJson(const Fault& fault, nlohmann::json& json) {
  switch (fault.kind) {
    case FaultKind::kError:
      json["status"] = fault.status;
      json["type"] = fault.problem_type;
      json["detail"] = fault.detail;
      json["omitNonce"] = fault.omit_nonce;
      if (fault.retry_after) {
        json["retryAfter"] = *fault.retry_after;
        json["retryAfterFormat"] = fault.retry_after_http_date ? "http-date" : "seconds";
      }
      break;
    case FaultKind::kHtmlError:
      json["status"] = fault.status;
      break;
    case FaultKind::kDelay:
    case FaultKind::kDnsDelay:
      json["delayMs"] = fault.delay_ms;
      break;
    case FaultKind::kContentType:
    case FaultKind::kDnsWrong:
      json["value"] = fault.value;
      break;
    case FaultKind::kOmitHeader:
      json["header"] = fault.header;
      break;
    case FaultKind::kNonceExpiry:
      json["seconds"] = fault.seconds;
      break;
    case FaultKind::kFailValidation:
      json["type"] = fault.problem_type;
      json["detail"] = fault.detail;
      break;
    case FaultKind::kStuckProcessing:
      json["polls"] = fault.polls;
      break;
    case FaultKind::kSetAuthzStatus:
      json["authzStatus"] = fault.authz_status;
      break;
    case FaultKind::kAlternateChain:
      json["chain"] = fault.chain;
      break;
    default:
      break;
  }
}

constexpr std::array<std::string_view, 13> kEndpoints = {
    "directory", "newNonce", "newAccount",  "account",    "newOrder",  "order",      "authz",
    "challenge", "finalize", "certificate", "revokeCert", "keyChange", "renewalInfo"};

// Whether a rule of `stage` can take effect at `where` (header comment of FaultRule::where).
bool StageServes(Stage stage, std::string_view where) {
  if (where == "*") {
    return true;
  }
  switch (stage) {
    case Stage::kValidation:
      return where == "http-01" || where == "dns-01" || where == "tls-alpn-01";
    case Stage::kDns:
      return where == "dns";
    case Stage::kState:
      return where == "order" || where == "authz" || where == "challenge";
    case Stage::kIssuance:
      return where == "finalize" || where == "certificate";
    default:
      for (std::string_view endpoint : kEndpoints) {
        if (endpoint == where) {
          return true;
        }
      }
      return false;
  }
}

common::Result<std::vector<std::string>, Error> ParseWhere(const nlohmann::json& json,
                                                           Stage stage) {
  std::vector<std::string> where;
  if (json.is_string()) {
    where.push_back(json.get<std::string>());
  } else if (json.is_array()) {
    for (const nlohmann::json& item : json) {
      if (!item.is_string()) {
        return MakeErr("where: must be a string or an array of strings");
      }
      where.push_back(item.get<std::string>());
    }
  } else {
    return MakeErr("where: must be a string or an array of strings");
  }
  for (const std::string& item : where) {
    if (!StageServes(stage, item)) {
      return MakeErr("where: " + Quoted(item) + " is not a place where a " + StageName(stage) +
                     " fault can take effect");
    }
  }
  if (where.empty()) {
    where.push_back("*");  // an empty list means anywhere, as the header says
  }
  return where;
}

common::Status<Error> ParseWhen(const nlohmann::json& json, Stage stage, Match& when) {
  if (!json.is_object()) {
    return Error("when: must be an object");
  }
  static const std::set<std::string_view> kConditions = {
      "nth", "every", "first", "probability", "account", "identifier", "method"};
  for (const auto& [key, value] : json.items()) {
    if ((key == "dnsName" || key == "dnsType") && stage != Stage::kDns) {
      return Error("when." + MemberName(key) + ": applies to DNS faults only");
    }
    if (kConditions.count(key) == 0 && key != "dnsName" && key != "dnsType") {
      return Error("when." + MemberName(key) + ": unknown member");
    }
  }
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  JsonReader reader(json, "when.");
  reader.Count("nth", 1, kMax, when.nth);
  reader.Count("every", 1, kMax, when.every);
  reader.Count("first", 1, kMax, when.first);
  reader.Probability("probability", when.probability);
  reader.Text("account", when.account);
  reader.Text("identifier", when.identifier);
  reader.Text("method", when.method);
  reader.Text("dnsName", when.dns_name);
  reader.Text("dnsType", when.dns_type);
  return reader.Finish();
}

// Reads the parameters of `fault.kind` from the rule object and applies the kind's defaults.
common::Status<Error> ParseParameters(const nlohmann::json& json, Fault& fault) {
  JsonReader reader(json, "");
  switch (fault.kind) {
    case FaultKind::kError:
      fault.status = 500;
      fault.problem_type = mockca::acme::TypeUrn(mockca::acme::ProblemType::kServerInternal);
      reader.Int("status", 100, 599, fault.status);
      reader.ProblemType("type", fault.problem_type);
      reader.String("detail", fault.detail);
      reader.RetryAfter(fault.retry_after, fault.retry_after_http_date);
      reader.Bool("omitNonce", fault.omit_nonce);
      break;
    case FaultKind::kHtmlError:
      fault.status = 502;
      reader.Int("status", 100, 599, fault.status);
      break;
    case FaultKind::kDelay:
    case FaultKind::kDnsDelay:
      reader.Required("delayMs");
      reader.Int("delayMs", 0, 600'000, fault.delay_ms);
      break;
    case FaultKind::kContentType:
    case FaultKind::kDnsWrong:
      reader.Required("value");
      reader.String("value", fault.value);
      break;
    case FaultKind::kOmitHeader:
      reader.Required("header");
      reader.HeaderName("header", fault.header);
      break;
    case FaultKind::kNonceExpiry:
      reader.Required("seconds");
      reader.Int("seconds", 1, std::numeric_limits<std::int32_t>::max(), fault.seconds);
      break;
    case FaultKind::kFailValidation:
      fault.problem_type = mockca::acme::TypeUrn(mockca::acme::ProblemType::kIncorrectResponse);
      reader.ProblemType("type", fault.problem_type);
      reader.String("detail", fault.detail);
      break;
    case FaultKind::kStuckProcessing:
      fault.polls = 1;
      reader.Int("polls", 1, std::numeric_limits<std::int32_t>::max(), fault.polls);
      break;
    case FaultKind::kSetAuthzStatus:
      reader.Required("authzStatus");
      reader.OneOf("authzStatus", {"invalid", "deactivated", "expired", "revoked"},
                   fault.authz_status);
      break;
    case FaultKind::kAlternateChain:
      reader.Int("chain", 0, std::numeric_limits<std::int32_t>::max(), fault.chain);
      break;
    default:
      break;
  }
  return reader.Finish();
}

common::Status<Error> CheckMembers(const nlohmann::json& json, FaultKind kind) {
  static const std::set<std::string_view> kCommon = {"id", "where", "when", "fault", "times"};
  const std::set<std::string_view> parameters = ParametersOf(kind);
  for (const auto& [key, value] : json.items()) {
    if (kCommon.count(key) != 0 || parameters.count(key) != 0) {
      continue;
    }
    if (IsParameterName(key)) {
      return Error(MemberName(key) + ": not a parameter of fault \"" + NameOf(kind) + "\"");
    }
    return Error(MemberName(key) + ": unknown member");
  }
  return {};
}

common::Status<Error> ParseHead(const nlohmann::json& json, FaultRule& rule) {
  const auto fault = json.find("fault");
  if (fault == json.end()) {
    return Error("fault: required member is missing");
  }
  if (!fault->is_string()) {
    return Error("fault: must be a string");
  }
  const std::string name = fault->get<std::string>();
  for (const KindInfo& info : kKinds) {
    if (name == info.name) {
      rule.what.kind = info.kind;
      return {};
    }
  }
  return Error("fault: unknown fault " + Quoted(name));
}

}  // namespace

Stage StageOf(FaultKind kind) {
  return InfoOf(kind).stage;
}

const char* NameOf(FaultKind kind) {
  return InfoOf(kind).name;
}

common::Result<FaultRule, std::string> ParseFaultRule(const nlohmann::json& json) {
  if (!json.is_object()) {
    return MakeErr("a fault rule must be a JSON object");
  }
  FaultRule rule;
  if (auto head = ParseHead(json, rule); !head) {
    return MakeErr(head.error());
  }
  if (auto members = CheckMembers(json, rule.what.kind); !members) {
    return MakeErr(members.error());
  }
  const Stage stage = StageOf(rule.what.kind);
  JsonReader reader(json, "");
  reader.Id("id", rule.id);
  reader.Count("times", 1, std::numeric_limits<std::int64_t>::max(), rule.times);
  if (auto status = reader.Finish(); !status) {
    return MakeErr(status.error());
  }
  rule.where = {"*"};
  if (const auto where = json.find("where"); where != json.end()) {
    auto parsed = ParseWhere(*where, stage);
    if (!parsed) {
      return MakeErr(parsed.error());
    }
    rule.where = std::move(parsed).value();
  }
  if (const auto when = json.find("when"); when != json.end()) {
    if (auto status = ParseWhen(*when, stage, rule.when); !status) {
      return MakeErr(status.error());
    }
  }
  if (auto status = ParseParameters(json, rule.what); !status) {
    return MakeErr(status.error());
  }
  return rule;
}

nlohmann::json ToJson(const FaultRule& rule) {
  nlohmann::json json = {{"fault", NameOf(rule.what.kind)}};
  if (!rule.id.empty()) {
    json["id"] = rule.id;
  }
  json["where"] = rule.where.empty() ? std::vector<std::string>{"*"} : rule.where;
  if (nlohmann::json when = WhenToJson(rule.when); !when.empty()) {
    json["when"] = std::move(when);
  }
  if (rule.times) {
    json["times"] = *rule.times;
  }
  ParametersToJson(rule.what, json);
  return json;
}

common::Result<std::vector<FaultRule>, std::string> ParseFaultRules(const nlohmann::json& json) {
  const nlohmann::json* list = &json;
  if (json.is_object()) {
    const auto faults = json.find("faults");
    if (faults == json.end() || json.size() != 1) {
      return MakeErr("a rule list must be an array or an object with the one member \"faults\"");
    }
    list = &*faults;
  }
  if (!list->is_array()) {
    return MakeErr("faults: must be an array of rule objects");
  }
  std::vector<FaultRule> rules;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto rule = ParseFaultRule((*list)[i]);
    if (!rule) {
      return MakeErr("faults[" + std::to_string(i) + "]." + rule.error());
    }
    rules.push_back(std::move(rule).value());
  }
  return rules;
}

}  // namespace faults
