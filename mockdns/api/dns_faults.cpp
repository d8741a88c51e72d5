#include "mockdns/api/dns_faults.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <optional>

#include "mockdns/wire/name.hpp"

namespace mockdns::api {
namespace {

namespace rrtype = wire::rrtype;
using faults::FaultKind;

const char* TransportName(DnsTransport transport) {
  switch (transport) {
    case DnsTransport::kUdp:
      return "udp";
    case DnsTransport::kTcp:
      return "tcp";
    case DnsTransport::kHttps:
      return "doh";
  }
  return "udp";
}

std::optional<wire::Rcode> RcodeOf(FaultKind kind) {
  switch (kind) {
    case FaultKind::kDnsServfail:
      return wire::Rcode::kServFail;
    case FaultKind::kDnsNxdomain:
      return wire::Rcode::kNxDomain;
    case FaultKind::kDnsRefused:
      return wire::Rcode::kRefused;
    default:
      return std::nullopt;
  }
}

// The record a wrongAnswer fault puts in place of the real answers; nullopt when value does not
// fit the question (a non-IPv4 value for A, another question type, ...).
std::optional<wire::ResourceRecord> WrongRecord(const wire::Question& question,
                                                const std::string& value) {
  wire::ResourceRecord record{question.name, question.type, wire::kClassIn, 0, wire::RawData{}};
  switch (question.type) {
    case rrtype::kA: {
      wire::AData a;
      if (inet_pton(AF_INET, value.c_str(), a.address.data()) != 1) {
        return std::nullopt;
      }
      record.data = a;
      return record;
    }
    case rrtype::kAaaa: {
      wire::AaaaData aaaa;
      if (inet_pton(AF_INET6, value.c_str(), aaaa.address.data()) != 1) {
        return std::nullopt;
      }
      record.data = aaaa;
      return record;
    }
    case rrtype::kTxt:
      record.data = wire::TxtFromValue(value);
      return record;
    default:
      return std::nullopt;
  }
}

void ReplaceAnswers(wire::Message& reply, const wire::ResourceRecord& record) {
  std::erase_if(reply.answers, [&](const wire::ResourceRecord& answer) {
    return answer.type == record.type || answer.type == rrtype::kCname;
  });
  reply.answers.push_back(record);
  reply.header.rcode = static_cast<std::uint8_t>(wire::Rcode::kNoError);
}

// Over UDP: TC set, nothing but the question and the OPT record (as wire::Serialize truncates).
void Truncate(wire::Message& reply) {
  reply.header.tc = true;
  reply.answers.clear();
  reply.authorities.clear();
  std::erase_if(reply.additionals,
                [](const wire::ResourceRecord& record) { return record.type != rrtype::kOpt; });
}

}  // namespace

std::string DnsTypeName(std::uint16_t type) {
  switch (type) {
    case rrtype::kA:
      return "A";
    case rrtype::kNs:
      return "NS";
    case rrtype::kCname:
      return "CNAME";
    case rrtype::kSoa:
      return "SOA";
    case rrtype::kPtr:
      return "PTR";
    case rrtype::kMx:
      return "MX";
    case rrtype::kTxt:
      return "TXT";
    case rrtype::kAaaa:
      return "AAAA";
    case rrtype::kOpt:
      return "OPT";
    case rrtype::kCaa:
      return "CAA";
    default:
      return "TYPE" + std::to_string(type);  // RFC 3597 §5
  }
}

faults::Facts DnsFacts(const wire::Question& question, DnsTransport transport) {
  faults::Facts facts;
  facts.where = "dns";
  facts.dns_name = wire::CanonicalName(question.name);
  if (!facts.dns_name.empty() && facts.dns_name.back() == '.') {
    facts.dns_name.pop_back();
  }
  facts.dns_type = DnsTypeName(question.type);
  facts.subject = facts.dns_type + " " + facts.dns_name + " over " + TransportName(transport);
  return facts;
}

std::vector<FiredDnsFault> MatchDnsFaults(faults::FaultEngine& engine, const wire::Message& query,
                                          DnsTransport transport) {
  std::vector<FiredDnsFault> fired;
  if (engine.Idle()) {
    return fired;
  }
  for (std::size_t i = 0; i < query.questions.size(); ++i) {
    for (auto& injection :
         engine.Match(faults::Stage::kDns, DnsFacts(query.questions[i], transport))) {
      fired.push_back(FiredDnsFault{i, std::move(injection)});
    }
  }
  return fired;
}

DnsFaultEffect ApplyDnsFaults(const wire::Message& query, DnsTransport transport,
                              const std::vector<FiredDnsFault>& fired, wire::Message& reply) {
  DnsFaultEffect effect;
  std::optional<wire::Rcode> rcode;
  bool truncate = false;
  for (const auto& [question, injection] : fired) {
    const faults::Fault& fault = injection.fault;
    if (fault.kind == FaultKind::kDnsTimeout) {
      effect.send = false;
    } else if (fault.kind == FaultKind::kDnsDelay) {
      effect.delay += std::chrono::milliseconds(fault.delay_ms);
    } else if (fault.kind == FaultKind::kDnsTruncate) {
      truncate = true;
    } else if (!rcode) {
      rcode = RcodeOf(fault.kind);
    }
  }
  if (!effect.send) {
    return effect;
  }
  if (rcode) {
    reply.header.rcode = static_cast<std::uint8_t>(*rcode);
    reply.answers.clear();
  } else {
    for (const auto& [question, injection] : fired) {
      if (injection.fault.kind != FaultKind::kDnsWrong || question >= query.questions.size()) {
        continue;
      }
      if (auto record = WrongRecord(query.questions[question], injection.fault.value)) {
        ReplaceAnswers(reply, *record);
      }
    }
  }
  if (truncate && transport == DnsTransport::kUdp) {
    Truncate(reply);
  }
  return effect;
}

}  // namespace mockdns::api
