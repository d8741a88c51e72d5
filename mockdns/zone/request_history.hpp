#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "mockdns/wire/message.hpp"

namespace mockdns::zone {

struct HttpRequestEvent {
  std::string url;  // path and query
  std::string host;
  bool https = false;
  std::string server_name;
  std::string user_agent;
};

struct DnsRequestEvent {
  wire::Question question;
  std::string user_agent;  // DoH only
};

struct TlsAlpnRequestEvent {
  std::string server_name;
  std::vector<std::string> supported_protos;
};

enum class EventKind { kHttp, kDns, kTlsAlpn };

// challtestsrv's request history: events per host and kind, in arrival order. Keys are lowercase
// (HTTP: Host without port; DNS: qname without the trailing dot; TLS-ALPN: SNI).
//
// Bounded, unlike challtestsrv: each (host, kind) list keeps its newest kMaxEventsPerList events
// and at most kMaxHosts hosts are tracked (events for further hosts are counted, not stored).
// Thread-safe.
class RequestHistory {
 public:
  static constexpr std::size_t kMaxEventsPerList = 1000;
  static constexpr std::size_t kMaxHosts = 10000;

  void Add(const HttpRequestEvent& event);
  void Add(const DnsRequestEvent& event);
  void Add(const TlsAlpnRequestEvent& event);

  std::vector<HttpRequestEvent> Http(const std::string& host) const;
  std::vector<DnsRequestEvent> Dns(const std::string& host) const;
  std::vector<TlsAlpnRequestEvent> TlsAlpn(const std::string& host) const;

  void Clear(const std::string& host, EventKind kind);
  std::size_t dropped() const;

 private:
  struct HostEvents {
    std::deque<HttpRequestEvent> http;
    std::deque<DnsRequestEvent> dns;
    std::deque<TlsAlpnRequestEvent> tls_alpn;
  };
  HostEvents* Slot(const std::string& key);  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  std::map<std::string, HostEvents> hosts_;  // guarded by mu_
  std::size_t dropped_ = 0;                  // guarded by mu_
};

// The history key of an HTTP Host header: lowercase, without port.
std::string HttpHostKey(const std::string& host);
// The history key of a DNS question name: lowercase, without the trailing dot.
std::string DnsNameKey(const std::string& name);

}  // namespace mockdns::zone
