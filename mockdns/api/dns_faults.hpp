#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "faults/fault_engine.hpp"
#include "mockdns/api/dns_transport.hpp"
#include "mockdns/wire/message.hpp"

namespace mockdns::api {

// DNS fault injection (conformance.md Part C, the issue's "DNS: SERVFAIL, NXDOMAIN, REFUSED,
// timeout, truncation, wrong answers, delays"): the faults::Stage::kDns rules, asked once per
// question, and what the fired ones do to the reply the zone built.

// The type mnemonic of an RR type ("A", "TXT", "CAA", ...), "TYPE65" for one without a name here.
std::string DnsTypeName(std::uint16_t type);

// The facts of one question: where "dns", dns_name lowercase without the trailing dot, dns_type
// the mnemonic, subject "TXT _acme-challenge.a.test over udp" (udp / tcp / doh).
faults::Facts DnsFacts(const wire::Question& question, DnsTransport transport);

// A rule that fired for one question of the query.
struct FiredDnsFault {
  std::size_t question = 0;  // index into query.questions
  faults::Injection injection;
};

// Asks engine about every question of query, in order. Nothing when the engine is idle.
std::vector<FiredDnsFault> MatchDnsFaults(faults::FaultEngine& engine, const wire::Message& query,
                                          DnsTransport transport);

// What the transport must do besides sending the (mutated) reply.
struct DnsFaultEffect {
  bool send = true;                    // false: kDnsTimeout fired; send nothing at all
  std::chrono::milliseconds delay{0};  // the kDnsDelay delays, added up; send after this long
};

// Carries out fired on reply (the zone's answer to query). Pure. When several fire:
// - "timeout" wins: nothing is sent (the delay is moot);
// - else the first of "servfail" / "nxdomain" / "refused" sets the RCODE and drops the answers
//   (the authority SOA and the OPT record stay);
// - else "wrongAnswer" replaces the answers of its question's type (and CNAME links) by one record
//   owned by the question name with `value` (IPv4 for A, IPv6 for AAAA, the text for TXT) and sets
//   NOERROR; a value of the wrong family, or another question type, leaves the answer as it is;
// - then "truncate", over UDP only, sets TC and drops every section but the question and OPT, so
//   the resolver retries over TCP; over TCP and DoH the reply stands;
// - "dnsDelay" combines with all of them.
DnsFaultEffect ApplyDnsFaults(const wire::Message& query, DnsTransport transport,
                              const std::vector<FiredDnsFault>& fired, wire::Message& reply);

}  // namespace mockdns::api
