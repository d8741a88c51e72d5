#include "mockdns/api/management_api.hpp"

#include <functional>
#include <map>

#include "common/ip_literal.hpp"
#include "faults/fault_api.hpp"
#include "mockdns/api/history_json.hpp"
#include "mockdns/api/json_body.hpp"
#include "mockdns/wire/name.hpp"

namespace mockdns::api {
namespace {

using common::MakeErr;
using http::Response;
using Outcome = common::Result<Response, std::string>;  // error: a 400 message

Response Ok() {
  return Response{200, {}, {}};
}

// inet_pton stops at a NUL, so "192.0.2.1\u0000junk" would pass without the find.
// A required, valid DNS host name from the body, as its zone key.
common::Result<std::string, std::string> HostKey(const JsonBody& body) {
  auto host = body.String("host");
  if (!host) {
    return MakeErr(host.error());
  }
  if (host.value().empty()) {
    return MakeErr(std::string("host parameter must not be empty"));
  }
  if (!wire::IsValidName(host.value())) {
    return MakeErr("host \"" + host.value() + "\" is not a valid DNS name");
  }
  return wire::CanonicalName(host.value());
}

common::Result<std::string, std::string> RequiredString(const JsonBody& body, const char* key) {
  auto value = body.String(key);
  if (value && value.value().empty()) {
    return MakeErr(std::string(key) + " parameter must not be empty");
  }
  return value;
}

common::Result<std::uint32_t, std::string> Ttl(const JsonBody& body) {
  const auto* field = body.Field("ttl");
  if (field == nullptr || !field->is_number_unsigned() ||
      field->get<std::uint64_t>() > 0x7FFFFFFF) {
    return MakeErr(std::string("ttl must be an integer from 0 to 2147483647"));
  }
  return static_cast<std::uint32_t>(field->get<std::uint64_t>());
}

Outcome SetDefaultIp(zone::Zone& zone, const JsonBody& body, bool v4) {
  auto ip = body.String("ip");
  if (!ip) {
    return ip.error();
  }
  if (!ip.value().empty() &&
      !common::IsIpLiteral(ip.value(), v4 ? common::IpFamily::kV4 : common::IpFamily::kV6)) {
    return MakeErr("ip \"" + ip.value() + "\" is not an " + (v4 ? "IPv4" : "IPv6") + " address");
  }
  zone.Update([&](zone::ZoneData& d) { (v4 ? d.default_ipv4 : d.default_ipv6) = ip.value(); });
  return Ok();
}

Outcome AddAddresses(zone::Zone& zone, const JsonBody& body, bool v4) {
  auto host = HostKey(body);
  if (!host) {
    return host.error();
  }
  const auto* field = body.Field("addresses");
  if (field == nullptr || !field->is_array() || field->empty()) {
    return MakeErr(std::string("addresses must be a non-empty list of IP addresses"));
  }
  std::vector<std::string> addresses;
  for (const auto& item : *field) {
    if (!item.is_string() ||
        !common::IsIpLiteral(item.get<std::string>(),
                             v4 ? common::IpFamily::kV4 : common::IpFamily::kV6)) {
      return MakeErr(std::string("addresses must all be ") + (v4 ? "IPv4" : "IPv6") + " addresses");
    }
    addresses.push_back(item.get<std::string>());
  }
  zone.Update([&](zone::ZoneData& d) {
    auto& list = (v4 ? d.a : d.aaaa)[host.value()];
    list.insert(list.end(), addresses.begin(), addresses.end());
  });
  return Ok();
}

common::Result<std::vector<zone::CaaPolicy>, std::string> CaaPolicies(const JsonBody& body) {
  const auto* field = body.Field("policies");
  if (field == nullptr || !field->is_array() || field->empty()) {
    return MakeErr(std::string("policies must be a non-empty list of {tag, value}"));
  }
  std::vector<zone::CaaPolicy> policies;
  for (const auto& item : *field) {
    if (!item.is_object()) {
      return MakeErr(std::string("each policy must be an object"));
    }
    auto policy_body = JsonBody::Parse(item.dump());
    auto tag = policy_body.value().String("tag");
    auto value = policy_body.value().String("value");
    if (!tag || !value || tag.value().empty() || tag.value().size() > 255) {
      return MakeErr(std::string("each policy needs a tag (1-255 octets) and a string value"));
    }
    zone::CaaPolicy policy{0, tag.value(), value.value()};
    if (const auto* flags = policy_body.value().Field("flags")) {
      if (!flags->is_number_unsigned() || flags->get<std::uint64_t>() > 255) {
        return MakeErr(std::string("flags must be an integer from 0 to 255"));
      }
      policy.flags = static_cast<std::uint8_t>(flags->get<std::uint64_t>());
    }
    policies.push_back(std::move(policy));
  }
  return policies;
}

}  // namespace

ManagementApi::ManagementApi(zone::Zone& zone, zone::ChallengeResponses& challenges,
                             zone::RequestHistory& history, EnabledServers enabled,
                             common::Logger& log, faults::FaultEngine* faults)
    : zone_(zone),
      challenges_(challenges),
      history_(history),
      enabled_(enabled),
      log_(log),
      faults_(faults),
      routes_(BuildRoutes()) {}

std::map<std::string, ManagementApi::Route> ManagementApi::BuildRoutes() {
  // A host-keyed DNS map edit: fn gets the data and the key.
  auto dns_edit = [this](std::function<void(zone::ZoneData&, const std::string&)> fn) {
    return [this, fn](const JsonBody& body) -> Outcome {
      auto host = HostKey(body);
      if (!host) {
        return host.error();
      }
      zone_.Update([&](zone::ZoneData& d) { fn(d, host.value()); });
      return Ok();
    };
  };
  return {
      {"/set-default-ipv4",
       {Needs::kDns, [this](auto& b) { return SetDefaultIp(zone_, b, true); }}},
      {"/set-default-ipv6",
       {Needs::kDns, [this](auto& b) { return SetDefaultIp(zone_, b, false); }}},
      {"/add-a", {Needs::kDns, [this](auto& b) { return AddAddresses(zone_, b, true); }}},
      {"/clear-a", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.a.erase(h); })}},
      {"/add-aaaa", {Needs::kDns, [this](auto& b) { return AddAddresses(zone_, b, false); }}},
      {"/clear-aaaa", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.aaaa.erase(h); })}},
      {"/add-caa",
       {Needs::kDns,
        [this](const JsonBody& b) -> Outcome {
          auto host = HostKey(b);
          if (!host) {
            return host.error();
          }
          auto policies = CaaPolicies(b);
          if (!policies) {
            return policies.error();
          }
          zone_.Update([&](zone::ZoneData& d) {
            auto& list = d.caa[host.value()];
            list.insert(list.end(), policies.value().begin(), policies.value().end());
          });
          return Ok();
        }}},
      {"/clear-caa", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.caa.erase(h); })}},
      {"/set-cname",
       {Needs::kDns,
        [this](const JsonBody& b) -> Outcome {
          auto host = HostKey(b);
          if (!host) {
            return host.error();
          }
          auto target = RequiredString(b, "target");
          if (!target) {
            return target.error();
          }
          if (!wire::IsValidName(target.value())) {
            return MakeErr("target \"" + target.value() + "\" is not a valid DNS name");
          }
          zone_.Update([&](zone::ZoneData& d) {
            d.cname[host.value()] = wire::CanonicalName(target.value());
          });
          return Ok();
        }}},
      {"/clear-cname", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.cname.erase(h); })}},
      {"/set-txt",
       {Needs::kDns,
        [this](const JsonBody& b) -> Outcome {
          auto host = HostKey(b);
          if (!host) {
            return host.error();
          }
          auto value = RequiredString(b, "value");
          if (!value) {
            return value.error();
          }
          if (value.value().size() > kMaxTxtValueSize) {
            return MakeErr("value over " + std::to_string(kMaxTxtValueSize) + " octets");
          }
          zone_.Update([&](zone::ZoneData& d) { d.txt[host.value()].push_back(value.value()); });
          return Ok();
        }}},
      {"/clear-txt", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.txt.erase(h); })}},
      {"/set-servfail", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.servfail.insert(h); })}},
      {"/clear-servfail", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.servfail.erase(h); })}},
      {"/set-nxdomain", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.nxdomain.insert(h); })}},
      {"/clear-nxdomain", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.nxdomain.erase(h); })}},
      {"/set-ttl",
       {Needs::kDns,
        [this](const JsonBody& b) -> Outcome {
          auto host = HostKey(b);
          if (!host) {
            return host.error();
          }
          auto ttl = Ttl(b);
          if (!ttl) {
            return ttl.error();
          }
          zone_.Update([&](zone::ZoneData& d) { d.ttl[host.value()] = ttl.value(); });
          return Ok();
        }}},
      {"/clear-ttl", {Needs::kDns, dns_edit([](auto& d, auto& h) { d.ttl.erase(h); })}},
      {"/set-default-ttl",
       {Needs::kDns,
        [this](const JsonBody& b) -> Outcome {
          auto ttl = Ttl(b);
          if (!ttl) {
            return ttl.error();
          }
          zone_.Update([&](zone::ZoneData& d) { d.default_ttl = ttl.value(); });
          return Ok();
        }}},
      {"/add-http01",
       {Needs::kHttp,
        [this](const JsonBody& b) -> Outcome {
          auto token = RequiredString(b, "token");
          auto content = RequiredString(b, "content");
          if (!token || !content) {
            return token ? content.error() : token.error();
          }
          challenges_.AddHttp01(token.value(), content.value());
          return Ok();
        }}},
      {"/del-http01",
       {Needs::kHttp,
        [this](const JsonBody& b) -> Outcome {
          auto token = RequiredString(b, "token");
          if (!token) {
            return token.error();
          }
          challenges_.DeleteHttp01(token.value());
          return Ok();
        }}},
      {"/add-redirect",
       {Needs::kHttp,
        [this](const JsonBody& b) -> Outcome {
          auto path = RequiredString(b, "path");
          auto target = RequiredString(b, "targetURL");
          if (!path || !target) {
            return path ? target.error() : path.error();
          }
          challenges_.AddRedirect(path.value(), target.value());
          return Ok();
        }}},
      {"/del-redirect",
       {Needs::kHttp,
        [this](const JsonBody& b) -> Outcome {
          auto path = RequiredString(b, "path");
          if (!path) {
            return path.error();
          }
          challenges_.DeleteRedirect(path.value());
          return Ok();
        }}},
      {"/add-tlsalpn01",
       {Needs::kTls,
        [this](const JsonBody& b) -> Outcome {
          auto host = RequiredString(b, "host");
          auto content = RequiredString(b, "content");
          if (!host || !content) {
            return host ? content.error() : host.error();
          }
          challenges_.AddTlsAlpn01(host.value(), content.value());
          return Ok();
        }}},
      {"/del-tlsalpn01",
       {Needs::kTls,
        [this](const JsonBody& b) -> Outcome {
          auto host = RequiredString(b, "host");
          if (!host) {
            return host.error();
          }
          challenges_.DeleteTlsAlpn01(host.value());
          return Ok();
        }}},
      {"/http-request-history",
       {Needs::kNothing,
        [this](const JsonBody& b) -> Outcome {
          auto host = RequiredString(b, "host");
          if (!host) {
            return host.error();
          }
          return Response::Json(200, HttpHistoryJson(history_.Http(host.value())));
        }}},
      {"/dns-request-history",
       {Needs::kNothing,
        [this](const JsonBody& b) -> Outcome {
          auto host = RequiredString(b, "host");
          if (!host) {
            return host.error();
          }
          return Response::Json(200, DnsHistoryJson(history_.Dns(host.value())));
        }}},
      {"/tlsalpn01-request-history",
       {Needs::kNothing,
        [this](const JsonBody& b) -> Outcome {
          auto host = RequiredString(b, "host");
          if (!host) {
            return host.error();
          }
          return Response::Json(200, TlsAlpnHistoryJson(history_.TlsAlpn(host.value())));
        }}},
      {"/clear-request-history",
       {Needs::kNothing,
        [this](const JsonBody& b) -> Outcome {
          auto host = RequiredString(b, "host");
          auto type = b.String("type");
          if (!host || !type) {
            return host ? type.error() : host.error();
          }
          static const std::map<std::string, zone::EventKind> kinds = {
              {"http", zone::EventKind::kHttp},
              {"dns", zone::EventKind::kDns},
              {"tlsalpn", zone::EventKind::kTlsAlpn}};
          const auto kind = kinds.find(type.value());
          if (kind == kinds.end()) {
            return MakeErr("\"" + type.value() + "\" event type unknown");
          }
          history_.Clear(host.value(), kind->second);
          return Ok();
        }}},
  };
}

http::Response ManagementApi::Handle(const http::Request& request) {
  if (faults_ != nullptr && faults::IsFaultsPath(request.Path())) {
    log_.Debug(request.method + " " + request.Path() + " " + request.body);
    return faults::HandleFaultsRequest(*faults_, request);
  }
  const auto route = routes_.find(request.Path());
  const bool enabled =
      route != routes_.end() && (route->second.needs == Needs::kNothing ||
                                 (route->second.needs == Needs::kDns && enabled_.dns) ||
                                 (route->second.needs == Needs::kHttp && enabled_.http01) ||
                                 (route->second.needs == Needs::kTls && enabled_.tls_alpn01));
  if (!enabled) {
    return Response::Text(404, "404 page not found\n");
  }
  auto body = JsonBody::Parse(request.body);
  if (!body) {
    return Response::Text(400, body.error() + "\n");
  }
  auto outcome = route->second.run(body.value());
  if (!outcome) {
    return Response::Text(400, outcome.error() + "\n");
  }
  log_.Debug(request.Path() + " " + request.body);
  return std::move(outcome).value();
}

}  // namespace mockdns::api
