#pragma once

#include "http/message.hpp"
#include "mockdns/zone/challenge_responses.hpp"
#include "mockdns/zone/request_history.hpp"

namespace mockdns::api {

inline constexpr char kAcmeChallengePrefix[] = "/.well-known/acme-challenge/";

// challtestsrv's http-01 server, for any Host: records the request, then (plain HTTP only) an
// exact-path redirect answers 302 with Location; /.well-known/acme-challenge/<token> answers 200
// with the token's content, or 200 with an empty body for an unknown token; any other path is 404.
http::Response RespondHttp01(const http::Request& request,
                             const zone::ChallengeResponses& responses,
                             zone::RequestHistory& history);

}  // namespace mockdns::api
