// mockca's own management listener: POST /add-eab-key (ServeEabManagement) and Pebble's routes
// (ServeManagement: roots, keys, /cert-status-by-serial/, /set-renewal-info/), over the acme_router
// target's in-memory CA (fuzz/acme_fixture.hpp), which has issued one certificate.
//
// Input: byte 0 picks the route; the rest is split at its first '\n' into A and B.
//  0: POST /add-eab-key with body A+B.
//  1: POST /set-renewal-info/ with body A+B.
//  2: POST /set-renewal-info/ with {"certificate": <the issued chain>, "ariResponse": A+B}.
//  3: method A (up to its first space) and target (the rest of A) with body B, to ServeManagement.
// Oracles: /add-eab-key answers 200 or 400, and after a 200 the kid it named is held; the Pebble
// routes answer 200, 400, 404 or 405 (404 and 405 only where ServeManagement documents them),
// every /set-renewal-info/ error is a problem document whose status is the HTTP status, and after
// a 200 for the issued certificate, renewalInfo for its certID answers the ariResponse verbatim.
// Inputs over 65535 octets are refused (return -1).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "fuzz/acme_fixture.hpp"
#include "fuzz/fuzz_check.hpp"
#include "http/message.hpp"
#include "mockca/server/eab_management.hpp"
#include "mockca/server/management_routes.hpp"
#include "mockca/wfe/ari_handlers.hpp"

namespace {

// One fixture for many inputs (it issues a certificate at start, so it is costly), rebuilt every
// kRebuildEvery inputs so that what the inputs add (EAB keys, renewal overrides) stays bounded.
constexpr int kRebuildEvery = 512;

bool IsProblemFor(const http::Response& response) {
  const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  return body.is_object() && body.contains("status") && body["status"] == response.status &&
         body.contains("type") && body["type"].is_string() &&
         body["type"].get<std::string>().rfind("urn:ietf:params:acme:error:", 0) == 0;
}

http::Request Management(std::string method, std::string target, std::string body) {
  http::Request request =
      fuzz::AcmeFixture::MakeRequest(std::move(method), std::move(target), std::move(body));
  request.headers = {{"Host", fuzz::kHost}, {"Content-Type", "application/json"}};
  return request;
}

void AddEabKey(fuzz::AcmeFixture& fixture, const std::string& body) {
  const http::Response response = mockca::server::ServeEabManagement(
      Management("POST", mockca::server::kAddEabKeyPath, body), fixture.eab_keys());
  FUZZ_CHECK(response.status == 200 || response.status == 400);
  if (response.status == 200) {
    const auto parsed = nlohmann::json::parse(body);  // a 200 means it parsed
    FUZZ_CHECK(fixture.eab_keys().Find(parsed.at("kid").get<std::string>()).has_value());
  }
}

void SetRenewalInfo(fuzz::AcmeFixture& fixture, const std::string& body,
                    const std::string* ari_response) {
  const mockca::server::ManagementSources sources{fixture.authority(), fixture.store()};
  const http::Response response = mockca::server::ServeManagement(
      Management("POST", mockca::server::kSetRenewalInfoPath, body), sources);
  FUZZ_CHECK(response.status == 200 || response.status == 400 || response.status == 404);
  if (response.status != 200) {
    FUZZ_CHECK(IsProblemFor(response));
    FUZZ_CHECK(ari_response == nullptr);  // the issued certificate with any string is accepted
    return;
  }
  if (ari_response != nullptr) {
    const http::Response info = fixture.Dispatch(fuzz::AcmeFixture::MakeRequest(
        "GET", std::string(mockca::wfe::kRenewalInfoPath) + "/" + fixture.cert_id()));
    FUZZ_CHECK(info.status == 200);
    FUZZ_CHECK(info.body == *ari_response);
  }
}

void AnyRoute(fuzz::AcmeFixture& fixture, std::string_view line, const std::string& body) {
  const std::size_t space = line.find(' ');
  const std::string method(line.substr(0, space));
  const std::string target(space == std::string_view::npos ? "" : line.substr(space + 1));
  if (target.empty() || target.front() != '/') {
    return;
  }
  const mockca::server::ManagementSources sources{fixture.authority(), fixture.store()};
  const http::Request request = Management(method, target, body);
  const http::Response response = mockca::server::ServeManagement(request, sources);
  FUZZ_CHECK(response.status == 200 || response.status == 400 || response.status == 404 ||
             response.status == 405);
  if (response.status == 405) {  // only the one POST route refuses a method
    FUZZ_CHECK(request.Path() == mockca::server::kSetRenewalInfoPath);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 65535) {
    return -1;
  }
  static std::unique_ptr<fuzz::AcmeFixture> fixture;
  static int used = 0;
  if (fixture == nullptr || ++used % kRebuildEvery == 0) {
    fixture = std::make_unique<fuzz::AcmeFixture>();
  }
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t newline = input.find('\n');
  const std::string_view first = input.substr(0, newline);
  const std::string second(newline == std::string_view::npos ? "" : input.substr(newline + 1));
  switch (data[0] % 4) {
    case 0:
      AddEabKey(*fixture, std::string(input));
      break;
    case 1:
      SetRenewalInfo(*fixture, std::string(input), nullptr);
      break;
    case 2: {
      // Invalid UTF-8 in the input is replaced when the body is written: the CA then serves the
      // string it parsed, which is what renewalInfo must answer.
      const nlohmann::json body = {{"certificate", fixture->certificate_pem()},
                                   {"ariResponse", std::string(input)}};
      const std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      const std::string expected = nlohmann::json::parse(text).at("ariResponse").get<std::string>();
      SetRenewalInfo(*fixture, text, &expected);
      break;
    }
    default:
      AnyRoute(*fixture, first, second);
      break;
  }
  return 0;
}
