#pragma once

namespace mockdns::api {

// How a DNS query arrived: plain UDP, TCP (RFC 7766 framing) or DNS over HTTPS (RFC 8484).
enum class DnsTransport { kUdp, kTcp, kHttps };

}  // namespace mockdns::api
