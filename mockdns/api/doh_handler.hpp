#pragma once

#include "http/message.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace faults {
class FaultEngine;
}  // namespace faults

namespace mockdns::api {

// DNS over HTTPS (RFC 8484), POST with Content-Type application/dns-message only, as challtestsrv:
// 405 for other methods, 415 for another content type, 400 for a body that yields no answer.
// The User-Agent header goes into the DNS request history.
//
// DNS faults (engine may be nullptr): a "timeout" fault closes the connection without an answer,
// a "dnsDelay" delays the HTTP response (http::Delivery: the server waits on a timer, never
// blocking); "truncate" answers in full, as over TCP.
http::Response RespondDoh(const http::Request& request, const zone::Zone& zone,
                          zone::RequestHistory& history, faults::FaultEngine* engine = nullptr);

}  // namespace mockdns::api
