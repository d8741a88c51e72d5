#pragma once

// One ACME account on one keep-alive connection: the requests of a full issuance flow, signed
// with an ECDSA P-256 account key (ES256), each timed into a Stats.

#include <string>

#include "common/json.hpp"
#include "common/result.hpp"
#include "tests/support/jws_signer.hpp"

#include "bench/loadgen/http_client.hpp"
#include "bench/loadgen/stats.hpp"
#include "bench/loadgen/url.hpp"

namespace bench {

using Status = common::Status<std::string>;

// Not thread-safe: one per worker. connection and the current stats must outlive it.
class AcmeClient {
 public:
  AcmeClient(HttpConnection& connection, Stats* stats, Url directory);

  // Where the following requests are timed (set-up and measured requests are kept apart).
  void UseStats(Stats* stats) { stats_ = stats; }

  // GET the directory and keep its newNonce, newAccount and newOrder URLs (timed as directory).
  Status LoadDirectory();
  // HEAD newNonce (timed as newNonce) and keep the nonce.
  Status FetchNonce();
  // newAccount with termsOfServiceAgreed; keeps the account URL as kid. REQUIRES: LoadDirectory.
  Status CreateAccount();

  // newOrder for one dns identifier → authz → http-01 challenge (the server must be validating
  // nothing: PEBBLE_VA_ALWAYS_VALID) → poll the authz until valid → finalize with a fresh P-256
  // CSR → poll the order until valid → download the certificate. A poll is skipped when the
  // answer before it already says valid; polls back off from 1 ms to 16 ms and ignore
  // Retry-After (a benchmark wants the earliest answer). REQUIRES: CreateAccount. An error names
  // the step, the status and the start of the body.
  Status RunFlow(const std::string& domain);

 private:
  // POSTs a JWS of payload ("" = POST-as-GET) to url, with the account's kid or (for newAccount)
  // its jwk; fetches a nonce first when none is left; retries up to 10 times on badNonce.
  common::Result<HttpResponse, std::string> Post(RequestType type, const std::string& url,
                                                 const std::string& payload);
  common::Result<HttpResponse, std::string> Send(RequestType type, const HttpRequest& request);
  // POST-as-GET of url until its "status" is valid (error on invalid or after 30 s).
  common::Result<nlohmann::json, std::string> PollUntilValid(RequestType type,
                                                             const std::string& url);
  // The authz (and, unless it is already valid, its http-01 challenge and the polls).
  Status Authorize(const std::string& authz_url);
  // Finalize, the order polls and the certificate download.
  Status FinalizeAndDownload(const std::string& domain, const std::string& order_url,
                             const std::string& finalize_url);
  // url's path for the request line; the JWS keeps the absolute URL.
  std::string Target(const std::string& url) const;

  HttpConnection& connection_;
  Stats* stats_;
  const Url directory_;
  const support::TestKey key_;
  std::string new_nonce_url_;
  std::string new_account_url_;
  std::string new_order_url_;
  std::string kid_;
  std::string nonce_;
};

}  // namespace bench
