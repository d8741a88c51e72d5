#pragma once

#include <functional>
#include <map>
#include <string>

#include "common/logger.hpp"
#include "http/message.hpp"
#include "mockdns/api/json_body.hpp"
#include "mockdns/zone/challenge_responses.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace faults {
class FaultEngine;
}  // namespace faults

namespace mockdns::api {

// Which servers run; challtestsrv registers an endpoint only when its server is enabled.
struct EnabledServers {
  bool dns = true;
  bool http01 = true;  // -http01 or -https01
  bool tls_alpn01 = true;
};

// A TXT value longer than this is refused (400), so one record always fits a DNS message.
inline constexpr std::size_t kMaxTxtValueSize = 16 * 1024;

// pebble-challtestsrv's management API, transport-free: every endpoint with the same JSON bodies
// (keys case-insensitive), status codes and response shapes, plus our additions (/set-nxdomain,
// /clear-nxdomain, /set-ttl, /clear-ttl, /set-default-ttl). Success is 200 with an empty body;
// a bad body is 400 with a one-line message; an unknown or disabled endpoint is 404.
// With a fault engine, /faults and the paths under it are the fault management routes
// (faults/fault_api.hpp: GET/POST/DELETE /faults, DELETE /faults/<id>, POST /faults/clear,
// GET /faults/log, GET /faults/decisions); without one they are 404 like any unknown path.
// Thread-safe (the stores it mutates are).
class ManagementApi {
 public:
  ManagementApi(zone::Zone& zone, zone::ChallengeResponses& challenges,
                zone::RequestHistory& history, EnabledServers enabled, common::Logger& log,
                faults::FaultEngine* faults = nullptr);

  http::Response Handle(const http::Request& request);

 private:
  enum class Needs { kNothing, kDns, kHttp, kTls };
  using Outcome = common::Result<http::Response, std::string>;  // error: a 400 message
  struct Route {
    Needs needs;
    std::function<Outcome(const JsonBody&)> run;
  };
  std::map<std::string, Route> BuildRoutes();

  zone::Zone& zone_;
  zone::ChallengeResponses& challenges_;
  zone::RequestHistory& history_;
  const EnabledServers enabled_;
  common::Logger& log_;
  faults::FaultEngine* const faults_;          // nullptr: no /faults routes
  const std::map<std::string, Route> routes_;  // path -> endpoint, built once
};

}  // namespace mockdns::api
