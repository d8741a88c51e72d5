#pragma once

#include <string>
#include <vector>

#include "mockdns/zone/request_history.hpp"

namespace mockdns::api {

// challtestsrv's history JSON (Go field names, 3-space indent, [] when empty):
//   HTTP     [{"URL","Host","HTTPS","ServerName","UserAgent"}]
//   DNS      [{"Question":{"Name","Qtype","Qclass"},"UserAgent"}]
//   TLS-ALPN [{"ServerName","SupportedProtos"}]
std::string HttpHistoryJson(const std::vector<zone::HttpRequestEvent>& events);
std::string DnsHistoryJson(const std::vector<zone::DnsRequestEvent>& events);
std::string TlsAlpnHistoryJson(const std::vector<zone::TlsAlpnRequestEvent>& events);

}  // namespace mockdns::api
