#pragma once

// A ManagementApi wired to fresh stores, for the management API tests.

#include <sstream>
#include <string>

#include "common/logger.hpp"
#include "http/message.hpp"
#include "mockdns/api/management_api.hpp"
#include "mockdns/zone/challenge_responses.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace support {

struct ManagementFixture {
  explicit ManagementFixture(mockdns::api::EnabledServers enabled = {})
      : api(zone, challenges, history, enabled, log) {}

  // POSTs body to target, as challtestsrv's clients do.
  http::Response Post(const std::string& target, const std::string& body) {
    http::Request request;
    request.method = "POST";
    request.target = target;
    request.host = "127.0.0.1:8055";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = body;
    return api.Handle(request);
  }

  mockdns::zone::Zone zone;
  mockdns::zone::ChallengeResponses challenges;
  mockdns::zone::RequestHistory history;
  std::ostringstream log_text;
  common::Logger log{log_text, "mockdns-test", common::Logger::Level::kDebug};
  mockdns::api::ManagementApi api;
};

}  // namespace support
