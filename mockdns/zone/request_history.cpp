#include "mockdns/zone/request_history.hpp"

#include "common/ascii.hpp"

namespace mockdns::zone {
namespace {

template <typename T>
void Push(std::deque<T>& list, const T& event) {
  list.push_back(event);
  if (list.size() > RequestHistory::kMaxEventsPerList) {
    list.pop_front();
  }
}

}  // namespace

std::string HttpHostKey(const std::string& host) {
  std::string key = host;
  if (!key.empty() && key.front() == '[') {
    const auto close = key.find(']');
    key = close == std::string::npos ? key : key.substr(1, close - 1);
  } else if (const auto colon = key.rfind(':');
             colon != std::string::npos && key.find(':') == colon) {
    key = key.substr(0, colon);
  }
  return common::AsciiLower(key);
}

std::string DnsNameKey(const std::string& name) {
  std::string key = common::AsciiLower(name);
  if (!key.empty() && key.back() == '.') {
    key.pop_back();
  }
  return key;
}

RequestHistory::HostEvents* RequestHistory::Slot(const std::string& key) {
  auto found = hosts_.find(key);
  if (found != hosts_.end()) {
    return &found->second;
  }
  if (hosts_.size() >= kMaxHosts) {
    ++dropped_;
    return nullptr;
  }
  return &hosts_[key];
}

void RequestHistory::Add(const HttpRequestEvent& event) {
  std::lock_guard lock(mu_);
  if (auto* slot = Slot(HttpHostKey(event.host))) {
    Push(slot->http, event);
  }
}

void RequestHistory::Add(const DnsRequestEvent& event) {
  std::lock_guard lock(mu_);
  if (auto* slot = Slot(DnsNameKey(event.question.name))) {
    Push(slot->dns, event);
  }
}

void RequestHistory::Add(const TlsAlpnRequestEvent& event) {
  std::lock_guard lock(mu_);
  if (auto* slot = Slot(common::AsciiLower(event.server_name))) {
    Push(slot->tls_alpn, event);
  }
}

std::vector<HttpRequestEvent> RequestHistory::Http(const std::string& host) const {
  std::lock_guard lock(mu_);
  const auto found = hosts_.find(common::AsciiLower(host));
  return found == hosts_.end() ? std::vector<HttpRequestEvent>{}
                               : std::vector(found->second.http.begin(), found->second.http.end());
}

std::vector<DnsRequestEvent> RequestHistory::Dns(const std::string& host) const {
  std::lock_guard lock(mu_);
  const auto found = hosts_.find(DnsNameKey(host));
  return found == hosts_.end() ? std::vector<DnsRequestEvent>{}
                               : std::vector(found->second.dns.begin(), found->second.dns.end());
}

std::vector<TlsAlpnRequestEvent> RequestHistory::TlsAlpn(const std::string& host) const {
  std::lock_guard lock(mu_);
  const auto found = hosts_.find(common::AsciiLower(host));
  return found == hosts_.end()
             ? std::vector<TlsAlpnRequestEvent>{}
             : std::vector(found->second.tls_alpn.begin(), found->second.tls_alpn.end());
}

void RequestHistory::Clear(const std::string& host, EventKind kind) {
  std::lock_guard lock(mu_);
  const auto found =
      hosts_.find(kind == EventKind::kDns ? DnsNameKey(host) : common::AsciiLower(host));
  if (found == hosts_.end()) {
    return;
  }
  switch (kind) {
    case EventKind::kHttp:
      found->second.http.clear();
      break;
    case EventKind::kDns:
      found->second.dns.clear();
      break;
    case EventKind::kTlsAlpn:
      found->second.tls_alpn.clear();
      break;
  }
}

std::size_t RequestHistory::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace mockdns::zone
