#include "tests/support/wfe_fixture.hpp"

#include <catch2/catch.hpp>

#include "mockca/wfe/paths.hpp"

namespace support {

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

bool HasHeader(const http::Response& response, const std::string& name, const std::string& value) {
  for (const auto& [key, v] : response.headers) {
    if (key == name && v == value) {
      return true;
    }
  }
  return false;
}

nlohmann::json Body(const http::Response& response) {
  return nlohmann::json::parse(response.body);
}

void CheckProblem(const http::Response& response, int status, const std::string& type) {
  CHECK(response.status == status);
  CHECK(HeaderOf(response, "Content-Type").starts_with("application/problem+json"));
  CHECK(Body(response)["type"] == "urn:ietf:params:acme:error:" + type);
}

void CheckProblemWithNonce(const http::Response& response, int status, const std::string& type) {
  CheckProblem(response, status, type);
  CHECK_FALSE(HeaderOf(response, "Replay-Nonce").empty());
}

http::Request JosePost(const std::string& host, const std::string& target,
                       const nlohmann::json& body) {
  http::Request request;
  request.method = "POST";
  request.target = target;
  request.host = host;
  request.https = true;
  request.headers.emplace_back("Content-Type", "application/jose+json");
  request.body = body.dump();
  return request;
}

std::string WfeState::AddFault(const nlohmann::json& rule) {
  auto parsed = faults::ParseFaultRule(rule);
  INFO(rule.dump() << ": " << (parsed ? std::string() : parsed.error()));
  REQUIRE(parsed.ok());
  auto id = faults.Add(std::move(parsed).value());
  REQUIRE(id.ok());
  return id.value();
}

http::Response WfeFixture::Send(const std::string& url, const nlohmann::json& body) {
  return router.Dispatch(JosePost("ca.test:14000", url.substr(kWfeBase.size()), body));
}

http::Response WfeFixture::Post(const TestKey& signer, const std::string& url,
                                const std::string& payload, const std::string& kid) {
  nlohmann::json header = AcmeHeader(signer, url, kid);
  header["nonce"] = nonces.Issue();
  return Send(url, SignFlattened(signer, header, payload));
}

std::string WfeFixture::Register(const TestKey& signer) {
  const http::Response response = Post(signer, kWfeBase + mockca::wfe::paths::kNewAccount,
                                       nlohmann::json{{"termsOfServiceAgreed", true}}.dump());
  REQUIRE(response.status == 201);
  return HeaderOf(response, "Location");
}

}  // namespace support
