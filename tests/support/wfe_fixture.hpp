#pragma once

// The mockca WFE as its handler tests reach it: the real Router, JwsAuthenticator and MemoryStore
// behind Host ca.test:14000, requests signed by tests/support/jws_signer with nonces taken from the
// NonceService, and the checks the tests make on every response.

#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>

#include "common/clock.hpp"
#include "common/json.hpp"
#include "common/logger.hpp"
#include "common/rng.hpp"
#include "faults/fault_engine.hpp"
#include "http/message.hpp"
#include "mockca/store/memory_store.hpp"
#include "mockca/wfe/account_handlers.hpp"
#include "mockca/wfe/jws_auth.hpp"
#include "mockca/wfe/nonce_service.hpp"
#include "mockca/wfe/router.hpp"
#include "tests/support/jws_signer.hpp"

namespace support {

// The scheme and Host of WfeFixture's requests: every URL its WFE issues starts with it.
inline const std::string kWfeBase = "https://ca.test:14000";

// The value of the first header name of response, or "" when there is none.
std::string HeaderOf(const http::Response& response, const std::string& name);

// Whether response has a header name: value (the router adds a second Link, rel="index").
bool HasHeader(const http::Response& response, const std::string& name, const std::string& value);

nlohmann::json Body(const http::Response& response);

// CHECKs that response is an ACME problem document of status and urn:ietf:params:acme:error:type.
void CheckProblem(const http::Response& response, int status, const std::string& type);

// CheckProblem, and that the problem carries a Replay-Nonce too (S-NONCE-01).
void CheckProblemWithNonce(const http::Response& response, int status, const std::string& type);

// An HTTPS POST of the JWS body to target at host, as application/jose+json.
http::Request JosePost(const std::string& host, const std::string& target,
                       const nlohmann::json& body);

// What a WFE works on: a fake clock, a seeded Rng, a MemoryStore, a fault engine (no rules until a
// test adds some) and a NonceService that asks it.
struct WfeState {
  // The start of the clock unless a test needs another: 2023-11-14T22:13:20Z.
  static constexpr common::Clock::TimePoint kStart{std::chrono::seconds(1'700'000'000)};

  explicit WfeState(std::uint64_t seed, common::Clock::TimePoint start = kStart)
      : clock(start), rng(seed), faults(seed, clock) {}

  // Adds the rule in its JSON form (faults::ParseFaultRule); its id.
  std::string AddFault(const nlohmann::json& rule);

  common::FakeClock clock;
  common::Rng rng;
  mockca::store::MemoryStore store{clock, rng};
  faults::FaultEngine faults;
  mockca::wfe::NonceService nonces{rng, mockca::wfe::NonceService::kDefaultCapacity, 0, &clock,
                                   &faults};
};

// WfeState with a Router and the JwsAuthenticator of mockca's account URLs. The tests add the
// routes they need (AddAccountRoutes first, so that Register works).
struct WfeFixture : WfeState {
  using WfeState::WfeState;

  // A POST of the JWS body to url (which starts with kWfeBase), through the router.
  http::Response Send(const std::string& url, const nlohmann::json& body);
  // payload signed by signer with a fresh nonce; by kid when kid is non-empty, else with the jwk
  // embedded.
  http::Response Post(const TestKey& signer, const std::string& url, const std::string& payload,
                      const std::string& kid = "");
  // A new account of signer that agreed to the terms: its URL. REQUIRES the account routes.
  std::string Register(const TestKey& signer);

  std::ostringstream sink;
  common::Logger log{sink, "test"};
  mockca::wfe::Router router{nonces, log};
  mockca::wfe::JwsAuthenticator auth{store, nonces, mockca::wfe::AccountUrl,
                                     mockca::wfe::AccountIdFromUrl};
  const TestKey& key = SharedKey(KeyKind::kP256);
  const TestKey& other_key = SharedKey(KeyKind::kP384);
};

}  // namespace support
