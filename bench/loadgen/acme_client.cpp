#include "bench/loadgen/acme_client.hpp"

#include <chrono>
#include <thread>

#include "common/json_parse.hpp"

#include "bench/loadgen/csr.hpp"

namespace bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMaxBadNonceRetries = 10;
constexpr auto kPollDeadline = std::chrono::seconds(30);

// "<step>: status <n>: <start of body>", for an answer the flow did not expect.
std::string Unexpected(RequestType type, const HttpResponse& response) {
  std::string body = response.body.substr(0, 300);
  for (char& c : body) {
    c = c == '\n' ? ' ' : c;
  }
  return std::string(RequestTypeName(type)) + ": status " + std::to_string(response.status) + ": " +
         body;
}

common::Result<nlohmann::json, std::string> ParseJson(RequestType type,
                                                      const HttpResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return std::string(RequestTypeName(type)) + ": body is not a JSON object";
  }
  return body;
}

using common::StringMemberOrEmpty;

}  // namespace

AcmeClient::AcmeClient(HttpConnection& connection, Stats* stats, Url directory)
    : connection_(connection),
      stats_(stats),
      directory_(std::move(directory)),
      key_(support::TestKey::Generate(support::KeyKind::kP256)) {}

std::string AcmeClient::Target(const std::string& url) const {
  auto parsed = ParseUrl(url);
  return parsed ? parsed->target : url;
}

common::Result<HttpResponse, std::string> AcmeClient::Send(RequestType type,
                                                           const HttpRequest& request) {
  const auto start = Clock::now();
  auto response = connection_.Send(request);
  if (!response) {
    return std::string(RequestTypeName(type)) + ": " + response.error();
  }
  stats_->Record(type, Clock::now() - start);
  if (std::string nonce = response->Header("replay-nonce"); !nonce.empty()) {
    nonce_ = std::move(nonce);
  }
  return response;
}

Status AcmeClient::LoadDirectory() {
  auto response = Send(RequestType::kDirectory, {"GET", directory_.target, "", ""});
  if (!response) {
    return response.error();
  }
  if (response->status != 200) {
    return Unexpected(RequestType::kDirectory, *response);
  }
  auto body = ParseJson(RequestType::kDirectory, *response);
  if (!body) {
    return body.error();
  }
  new_nonce_url_ = StringMemberOrEmpty(*body, "newNonce");
  new_account_url_ = StringMemberOrEmpty(*body, "newAccount");
  new_order_url_ = StringMemberOrEmpty(*body, "newOrder");
  if (new_nonce_url_.empty() || new_account_url_.empty() || new_order_url_.empty()) {
    return std::string("directory: newNonce, newAccount or newOrder missing");
  }
  return {};
}

Status AcmeClient::FetchNonce() {
  auto response = Send(RequestType::kNewNonce, {"HEAD", Target(new_nonce_url_), "", ""});
  if (!response) {
    return response.error();
  }
  if (response->status != 200 || response->Header("replay-nonce").empty()) {
    return Unexpected(RequestType::kNewNonce, *response);
  }
  return {};
}

common::Result<HttpResponse, std::string> AcmeClient::Post(RequestType type, const std::string& url,
                                                           const std::string& payload) {
  for (int attempt = 0;; ++attempt) {
    if (nonce_.empty()) {
      if (auto fetched = FetchNonce(); !fetched) {
        return fetched.error();
      }
    }
    nlohmann::json header = support::AcmeHeader(key_, url, kid_);
    header["nonce"] = std::move(nonce_);
    nonce_.clear();
    const std::string body = support::SignFlattened(key_, header, payload).dump();
    auto response = Send(type, {"POST", Target(url), "application/jose+json", body});
    if (!response) {
      return response;
    }
    // RFC 8555 §6.5: a badNonce answer carries a fresh nonce; retry with it. (Pebble rejects 5 %
    // of good nonces by default.)
    const bool bad_nonce =
        response->status == 400 &&
        response->body.find("urn:ietf:params:acme:error:badNonce") != std::string::npos;
    if (!bad_nonce || attempt == kMaxBadNonceRetries) {
      return response;
    }
    stats_->CountBadNonceRetry();
  }
}

Status AcmeClient::CreateAccount() {
  auto response =
      Post(RequestType::kNewAccount, new_account_url_, R"({"termsOfServiceAgreed":true})");
  if (!response) {
    return response.error();
  }
  kid_ = response->Header("location");
  if ((response->status != 201 && response->status != 200) || kid_.empty()) {
    return Unexpected(RequestType::kNewAccount, *response);
  }
  return {};
}

common::Result<nlohmann::json, std::string> AcmeClient::PollUntilValid(RequestType type,
                                                                       const std::string& url) {
  const auto deadline = Clock::now() + kPollDeadline;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    auto response = Post(type, url, "");
    if (!response) {
      return response.error();
    }
    if (response->status != 200) {
      return Unexpected(type, *response);
    }
    auto body = ParseJson(type, *response);
    if (!body) {
      return body;
    }
    const std::string status = StringMemberOrEmpty(*body, "status");
    if (status == "valid") {
      return body;
    }
    if (status == "invalid" || Clock::now() > deadline) {
      return Unexpected(type, *response);
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(16));
  }
}

Status AcmeClient::RunFlow(const std::string& domain) {
  const nlohmann::json order_request = {
      {"identifiers", nlohmann::json::array({{{"type", "dns"}, {"value", domain}}})}};
  auto order = Post(RequestType::kNewOrder, new_order_url_, order_request.dump());
  if (!order) {
    return order.error();
  }
  const std::string order_url = order->Header("location");
  auto order_body = ParseJson(RequestType::kNewOrder, *order);
  if (order->status != 201 || order_url.empty() || !order_body) {
    return Unexpected(RequestType::kNewOrder, *order);
  }
  const std::string finalize_url = StringMemberOrEmpty(*order_body, "finalize");
  const auto authzs = order_body->find("authorizations");
  if (finalize_url.empty() || authzs == order_body->end() || !authzs->is_array() ||
      authzs->size() != 1 || !authzs->at(0).is_string()) {
    return Unexpected(RequestType::kNewOrder, *order);
  }
  if (auto authorized = Authorize(authzs->at(0).get<std::string>()); !authorized) {
    return authorized;
  }
  return FinalizeAndDownload(domain, order_url, finalize_url);
}

Status AcmeClient::Authorize(const std::string& authz_url) {
  auto authz = Post(RequestType::kAuthz, authz_url, "");
  if (!authz) {
    return authz.error();
  }
  auto authz_body = ParseJson(RequestType::kAuthz, *authz);
  if (authz->status != 200 || !authz_body) {
    return Unexpected(RequestType::kAuthz, *authz);
  }
  if (StringMemberOrEmpty(*authz_body, "status") == "valid") {  // a reused authorization
    return {};
  }
  std::string challenge_url;
  for (const auto& challenge : authz_body->value("challenges", nlohmann::json::array())) {
    if (challenge.is_object() && StringMemberOrEmpty(challenge, "type") == "http-01") {
      challenge_url = StringMemberOrEmpty(challenge, "url");
    }
  }
  if (challenge_url.empty()) {
    return Unexpected(RequestType::kAuthz, *authz);
  }
  auto challenge = Post(RequestType::kChallenge, challenge_url, "{}");
  if (!challenge) {
    return challenge.error();
  }
  if (challenge->status != 200) {
    return Unexpected(RequestType::kChallenge, *challenge);
  }
  if (auto valid = PollUntilValid(RequestType::kPollAuthz, authz_url); !valid) {
    return valid.error();
  }
  return {};
}

Status AcmeClient::FinalizeAndDownload(const std::string& domain, const std::string& order_url,
                                       const std::string& finalize_url) {
  auto csr = MakeP256Csr(domain);
  if (!csr) {
    return csr.error();
  }
  const nlohmann::json finalize_request = {{"csr", support::Base64Url(*csr)}};
  auto finalized = Post(RequestType::kFinalize, finalize_url, finalize_request.dump());
  if (!finalized) {
    return finalized.error();
  }
  auto valid_order = ParseJson(RequestType::kFinalize, *finalized);
  if (finalized->status != 200 || !valid_order) {
    return Unexpected(RequestType::kFinalize, *finalized);
  }
  // Issuance may finish within finalize; else poll.
  if (StringMemberOrEmpty(*valid_order, "status") != "valid") {
    valid_order = PollUntilValid(RequestType::kPollOrder, order_url);
    if (!valid_order) {
      return valid_order.error();
    }
  }
  const std::string certificate_url = StringMemberOrEmpty(*valid_order, "certificate");
  if (certificate_url.empty()) {
    return std::string("pollOrder: valid order without a certificate URL");
  }
  auto certificate = Post(RequestType::kCertificate, certificate_url, "");
  if (!certificate) {
    return certificate.error();
  }
  if (certificate->status != 200 ||
      certificate->body.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return Unexpected(RequestType::kCertificate, *certificate);
  }
  return {};
}

}  // namespace bench
