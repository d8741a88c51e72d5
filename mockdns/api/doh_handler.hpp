#pragma once

#include "http/message.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace mockdns::api {

// DNS over HTTPS (RFC 8484), POST with Content-Type application/dns-message only, as challtestsrv:
// 405 for other methods, 415 for another content type, 400 for a body that yields no answer.
// The User-Agent header goes into the DNS request history.
http::Response RespondDoh(const http::Request& request, const zone::Zone& zone,
                          zone::RequestHistory& history);

}  // namespace mockdns::api
