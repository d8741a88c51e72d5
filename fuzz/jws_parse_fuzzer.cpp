// mockca::jose::ParseJws, EmbeddedKey (ParseJwk) and VerifySignature. Each input is used twice:
//  1. as a request body, as the WFE receives it;
//  2. wrapped as a flattened JWS whose protected header is the input up to its first newline and
//     whose payload is the rest, so mutations reach the header checks and ParseJwk as plain JSON
//     (in a body they hide inside base64url).
// Oracles: every Problem has status 400, a non-empty detail, one of the four types these functions
// may return, and `algorithms` exactly when it is badSignatureAlgorithm; an accepted JWS keeps the
// header invariants ParseJws promises, and its header as the recorder takes it (HeaderFieldsOf)
// is what the recorder's own decoding of the body gives (DecodeJwsHeaderFields); a parsed jwk has a
// 43-character thumbprint and equals itself; a signature that verifies stops verifying when one bit
// of it flips.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "fuzz/fuzz_check.hpp"
#include "mockca/acme/problem.hpp"
#include "mockca/jose/base64url.hpp"
#include "mockca/jose/jwk.hpp"
#include "mockca/jose/jws.hpp"
#include "mockca/report/jws_decode.hpp"

namespace {

namespace jose = mockca::jose;
using mockca::acme::ProblemType;

void CheckProblem(const mockca::acme::Problem& problem) {
  FUZZ_CHECK(problem.status == 400);
  FUZZ_CHECK(!problem.detail.empty());
  FUZZ_CHECK(problem.type == ProblemType::kMalformed || problem.type == ProblemType::kBadNonce ||
             problem.type == ProblemType::kBadSignatureAlgorithm ||
             problem.type == ProblemType::kBadPublicKey);
  FUZZ_CHECK(problem.algorithms.empty() == (problem.type != ProblemType::kBadSignatureAlgorithm));
}

void CheckAccepted(const jose::Jws& jws) {
  const jose::ProtectedHeader& header = jws.header;
  FUZZ_CHECK(!header.alg.empty() && !header.nonce.empty() && !header.url.empty());
  FUZZ_CHECK(header.kid.empty() == header.jwk.has_value());
  FUZZ_CHECK(!header.jwk || header.jwk->is_object());
  FUZZ_CHECK(header.raw.is_object());
  FUZZ_CHECK(!jws.signature.empty());
  FUZZ_CHECK(jws.post_as_get() == jws.payload.empty());
}

void Verify(jose::Jws& jws, const jose::PublicKey& key) {
  const auto status = jose::VerifySignature(jws, key);
  if (!status) {
    CheckProblem(status.error());
    return;
  }
  // Unknown top-level members and JSON whitespace are outside the signature, so a mutated seed
  // can still verify; the signature itself must then be exact.
  jws.signature[0] = static_cast<char>(jws.signature[0] ^ 0x01);
  const auto flipped = jose::VerifySignature(jws, key);
  FUZZ_CHECK(!flipped.ok());
  FUZZ_CHECK(flipped.error().type == ProblemType::kMalformed);
}

void Run(std::string_view body) {
  auto jws = jose::ParseJws(body);
  if (!jws) {
    CheckProblem(jws.error());
    return;
  }
  CheckAccepted(jws.value());
  const auto recorded = mockca::report::DecodeJwsHeaderFields(body);
  FUZZ_CHECK(recorded && *recorded == mockca::report::HeaderFieldsOf(jws->header));
  if (!jws->header.jwk) {
    return;
  }
  const auto key = jose::EmbeddedKey(jws.value());
  if (!key) {
    CheckProblem(key.error());
    return;
  }
  FUZZ_CHECK(jose::JwkThumbprint(key.value()).size() == 43);
  FUZZ_CHECK(jose::SameKey(key.value(), key.value()));
  Verify(jws.value(), key.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Run(input);

  const std::size_t newline = input.find('\n');
  const std::string_view header = input.substr(0, newline);
  const std::string_view payload =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  const nlohmann::json wrapped = {{"protected", jose::Base64UrlEncode(header)},
                                  {"payload", jose::Base64UrlEncode(payload)},
                                  {"signature", jose::Base64UrlEncode(std::string(64, 's'))}};
  Run(wrapped.dump());
  return 0;
}
