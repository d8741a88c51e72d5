#include "mockdns/zone/responder.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "common/ip_literal.hpp"
#include "mockdns/wire/name.hpp"

namespace mockdns::zone {
namespace {

using wire::ResourceRecord;
namespace rrtype = wire::rrtype;

ResourceRecord MockSoa() {
  wire::SoaData soa;
  soa.mname = "ns.challtestsrv.invalid.";
  soa.rname = "master.challtestsrv.invalid.";
  soa.serial = soa.refresh = soa.retry = soa.expire = soa.minimum = 1;
  return ResourceRecord{"challtestsrv.invalid.", rrtype::kSoa, wire::kClassIn, 0, soa};
}

// An IP address written as a name ("127.0.0.1.").
bool IsIpName(std::string name) {
  if (!name.empty() && name.back() == '.') {
    name.pop_back();
  }
  return common::IsIpLiteral(name);
}

template <typename T>
const T* Lookup(const std::map<std::string, T>& map, const std::string& key) {
  const auto found = map.find(key);
  return found == map.end() ? nullptr : &found->second;
}

std::uint32_t TtlFor(const ZoneData& data, const std::string& key) {
  const auto* ttl = Lookup(data.ttl, key);
  return ttl ? *ttl : data.default_ttl;
}

// Appends the records of one type for one (CNAME-resolved) name.
void AppendRecords(const ZoneData& data, const std::string& owner, const std::string& key,
                   std::uint16_t type, std::vector<ResourceRecord>& out) {
  const std::uint32_t ttl = TtlFor(data, key);
  auto add = [&](wire::Rdata rdata) {
    out.push_back(ResourceRecord{owner, type, wire::kClassIn, ttl, std::move(rdata)});
  };
  switch (type) {
    case rrtype::kA:
    case rrtype::kAaaa: {
      if (IsIpName(owner)) {
        return;  // challtestsrv: questions for IP addresses are invalid
      }
      const bool v4 = type == rrtype::kA;
      const auto* explicit_values = Lookup(v4 ? data.a : data.aaaa, key);
      std::vector<std::string> values;
      if (explicit_values && !explicit_values->empty()) {
        values = *explicit_values;
      } else if (const auto& fallback = v4 ? data.default_ipv4 : data.default_ipv6;
                 !fallback.empty()) {
        values = {fallback};
      }
      for (const auto& value : values) {
        if (v4) {
          wire::AData a;
          if (inet_pton(AF_INET, value.c_str(), a.address.data()) == 1) {
            add(a);
          }
        } else {
          wire::AaaaData aaaa;
          if (inet_pton(AF_INET6, value.c_str(), aaaa.address.data()) == 1) {
            add(aaaa);
          }
        }
      }
      return;
    }
    case rrtype::kTxt:
      if (const auto* values = Lookup(data.txt, key)) {
        for (const auto& value : *values) {
          add(wire::TxtFromValue(value));
        }
      }
      return;
    case rrtype::kCaa:
      if (const auto* policies = Lookup(data.caa, key)) {
        for (const auto& policy : *policies) {
          add(wire::CaaData{policy.flags, policy.tag, policy.value});
        }
      }
      return;
    case rrtype::kCname:
      if (const auto* target = Lookup(data.cname, key)) {
        add(wire::NameData{*target});
      }
      return;
    default:
      return;
  }
}

bool IsAnswerable(std::uint16_t type) {
  return type == rrtype::kA || type == rrtype::kAaaa || type == rrtype::kTxt ||
         type == rrtype::kCaa || type == rrtype::kCname;
}

// Answers one question into reply; returns the rcode it calls for.
wire::Rcode AnswerQuestion(const wire::Question& question, const ZoneData& data,
                           wire::Message& reply) {
  std::string owner = question.name;
  std::string key = wire::CanonicalName(owner);
  if (data.servfail.count(key)) {
    return wire::Rcode::kServFail;
  }
  if (data.nxdomain.count(key)) {
    return wire::Rcode::kNxDomain;
  }
  if (!IsAnswerable(question.type)) {
    return wire::Rcode::kNotImp;
  }
  if (question.type != rrtype::kCname) {
    for (int hop = 0; hop < kMaxCnameChain; ++hop) {
      const auto* target = Lookup(data.cname, key);
      if (target == nullptr) {
        break;
      }
      reply.answers.push_back(ResourceRecord{owner, rrtype::kCname, wire::kClassIn,
                                             TtlFor(data, key), wire::NameData{*target}});
      owner = *target;
      key = wire::CanonicalName(owner);
      if (data.servfail.count(key)) {
        return wire::Rcode::kServFail;
      }
      if (data.nxdomain.count(key)) {
        return wire::Rcode::kNxDomain;  // RFC 6604: the rcode is that of the last name
      }
    }
    if (Lookup(data.cname, key) != nullptr) {
      // Chain cut at kMaxCnameChain (a loop or a long chain): owner has a CNAME, so it can have no
      // other data (RFC 1034 §3.6.2); answer with the links found, not its default address.
      return wire::Rcode::kNoError;
    }
  }
  AppendRecords(data, owner, key, question.type, reply.answers);
  return wire::Rcode::kNoError;
}

}  // namespace

wire::Message FormatError(std::uint16_t id) {
  wire::Message reply;
  reply.header.id = id;
  reply.header.qr = true;
  reply.header.rcode = static_cast<std::uint8_t>(wire::Rcode::kFormErr);
  return reply;
}

std::size_t MaxUdpResponseSize(const wire::Message& query) {
  const wire::ResourceRecord* opt = wire::FindOpt(query);
  if (opt == nullptr) {
    return 512;
  }
  return std::clamp<std::size_t>(opt->klass, 512, 4096);
}

wire::Message Respond(const wire::Message& query, const ZoneData& data) {
  wire::Message reply;
  reply.header.id = query.header.id;
  reply.header.qr = true;
  reply.header.opcode = query.header.opcode;
  reply.header.rd = query.header.rd;
  reply.header.cd = query.header.cd;
  reply.questions = query.questions;

  const wire::ResourceRecord* query_opt = wire::FindOpt(query);
  if (query_opt != nullptr) {
    const std::uint32_t do_bit = query_opt->ttl & 0x8000;
    wire::ResourceRecord opt{".", rrtype::kOpt, kEdnsPayloadSize, do_bit, wire::RawData{}};
    const std::uint8_t version = static_cast<std::uint8_t>(query_opt->ttl >> 16);
    if (version != 0) {
      opt.ttl |= 1u << 24;  // extended rcode 16 = BADVERS (RFC 6891 §6.1.3)
      reply.additionals.push_back(std::move(opt));
      return reply;
    }
    reply.additionals.push_back(std::move(opt));
  }

  wire::Rcode rcode = wire::Rcode::kNoError;
  if (query.header.opcode != 0) {
    rcode = wire::Rcode::kNotImp;
  } else if (query.questions.empty()) {
    rcode = wire::Rcode::kFormErr;
  } else {
    for (const auto& question : query.questions) {
      const wire::Rcode result = AnswerQuestion(question, data, reply);
      if (result != wire::Rcode::kNoError) {
        rcode = result;
      }
    }
  }
  reply.header.rcode = static_cast<std::uint8_t>(rcode);
  reply.authorities.push_back(MockSoa());
  return reply;
}

}  // namespace mockdns::zone
