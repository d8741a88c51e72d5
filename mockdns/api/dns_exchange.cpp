#include "mockdns/api/dns_exchange.hpp"

#include "faults/fault_engine.hpp"
#include "mockdns/api/dns_faults.hpp"
#include "mockdns/wire/parse.hpp"
#include "mockdns/wire/serialize.hpp"
#include "mockdns/zone/responder.hpp"

namespace mockdns::api {
namespace {

std::vector<std::uint8_t> Encode(const wire::Message& reply, std::size_t max_size) {
  auto bytes = wire::Serialize(reply, max_size);
  if (bytes) {
    return std::move(bytes).value();
  }
  // Zone data is validated on entry, so this means a bug; answer SERVFAIL rather than nothing.
  wire::Message failure = zone::FormatError(reply.header.id);
  failure.header.rcode = static_cast<std::uint8_t>(wire::Rcode::kServFail);
  failure.questions = reply.questions;
  auto fallback = wire::Serialize(failure, max_size);
  return fallback ? std::move(fallback).value() : std::vector<std::uint8_t>{};
}

}  // namespace

DnsReply ExchangeDns(std::span<const std::uint8_t> query, DnsTransport transport,
                     const std::string& user_agent, const zone::Zone& zone,
                     zone::RequestHistory& history, faults::FaultEngine* engine) {
  std::uint16_t id = 0;
  if (!wire::PeekId(query, &id)) {
    return {};
  }
  if (query.size() > kMaxQuerySize) {
    return {Encode(zone::FormatError(id), 512)};
  }
  auto parsed = wire::Parse(query);
  if (!parsed) {
    return {Encode(zone::FormatError(id), 512)};
  }
  const wire::Message& message = parsed.value();
  if (message.header.qr) {
    return {};
  }
  for (const auto& question : message.questions) {
    history.Add(zone::DnsRequestEvent{question, user_agent});
  }
  const std::size_t max_size =
      transport == DnsTransport::kUdp ? zone::MaxUdpResponseSize(message) : wire::kMaxMessageSize;
  wire::Message reply = zone.Answer(message);
  if (engine == nullptr || engine->Idle()) {
    return {Encode(reply, max_size)};
  }
  const DnsFaultEffect effect =
      ApplyDnsFaults(message, transport, MatchDnsFaults(*engine, message, transport), reply);
  if (!effect.send) {
    return {{}, effect.delay, true};
  }
  return {Encode(reply, max_size), effect.delay};
}

std::vector<std::uint8_t> ExchangeDns(std::span<const std::uint8_t> query, DnsTransport transport,
                                      const std::string& user_agent, const zone::Zone& zone,
                                      zone::RequestHistory& history) {
  return ExchangeDns(query, transport, user_agent, zone, history, nullptr).bytes;
}

}  // namespace mockdns::api
