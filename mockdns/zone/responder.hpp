#pragma once

#include "mockdns/wire/message.hpp"
#include "mockdns/zone/zone_data.hpp"

namespace mockdns::zone {

// Our advertised EDNS UDP payload size (the DNS flag day 2020 value).
inline constexpr std::uint16_t kEdnsPayloadSize = 1232;
// CNAME chains are followed at most this far; a longer chain or a loop ends with what was found.
inline constexpr int kMaxCnameChain = 8;

// Builds the answer to query from data; pure (no I/O, no clock). Mirrors challtestsrv's handler:
// - A, AAAA, TXT, CAA and CNAME are answered; every other qtype gets NOTIMP; opcode != QUERY gets
//   NOTIMP; a query with no question gets FORMERR.
// - a SERVFAIL name overrides everything; an NXDOMAIN name (our addition) answers NXDOMAIN.
// - CNAMEs are followed (a chain, unlike challtestsrv's one level) and each link is in the answer.
// - A/AAAA fall back to the default addresses; an IP-literal qname gets no A/AAAA answer.
// - every response carries the challtestsrv.invalid. SOA in the authority section.
// - EDNS0 (RFC 6891): a query with OPT gets an OPT back (our payload size, its DO bit); an
//   unsupported version gets BADVERS.
wire::Message Respond(const wire::Message& query, const ZoneData& data);

// A FORMERR reply for a query that could not be parsed, echoing its ID.
wire::Message FormatError(std::uint16_t id);

// The largest response for query over UDP: 512 without EDNS, else the client's payload size
// clamped to [512, 4096].
std::size_t MaxUdpResponseSize(const wire::Message& query);

}  // namespace mockdns::zone
