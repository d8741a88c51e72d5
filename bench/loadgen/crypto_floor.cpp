#include "bench/loadgen/crypto_floor.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <functional>
#include <string>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "common/rng.hpp"
#include "common/x509_builder.hpp"
#include "tests/support/jws_signer.hpp"

#include "bench/loadgen/csr.hpp"

namespace bench {
namespace {

double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Mean CPU microseconds of one call of op over count calls; counts the calls that returned false
// into *failed.
double TimeOp(int count, const std::function<bool()>& op, int* failed) {
  const double start = ThreadCpuSeconds();
  for (int i = 0; i < count; ++i) {
    if (!op()) {
      ++*failed;
    }
  }
  const double micros = (ThreadCpuSeconds() - start) * 1e6 / count;
  return std::round(micros * 100) / 100;
}

bool SignDigest(EVP_PKEY* key, const std::string& input, std::string* signature) {
  common::EvpMdCtxPtr context(EVP_MD_CTX_new());
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, data, input.size()) != 1) {
    return false;
  }
  signature->resize(size);
  auto* out = reinterpret_cast<unsigned char*>(signature->data());
  if (EVP_DigestSign(context.get(), out, &size, data, input.size()) != 1) {
    return false;
  }
  signature->resize(size);
  return true;
}

bool VerifyDigest(EVP_PKEY* key, const std::string& input, const std::string& signature) {
  common::EvpMdCtxPtr context(EVP_MD_CTX_new());
  return context && EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

// A leaf-like certificate to sign again and again (X509_sign re-encodes and re-signs it).
common::X509Ptr SampleCertificate(EVP_PKEY* key) {
  common::Rng rng(1);
  common::CertificateSpec spec;
  spec.common_name = "crypto-floor.example";
  spec.dns_names = {"crypto-floor.example"};
  spec.not_before = std::chrono::system_clock::now();
  spec.not_after = spec.not_before + std::chrono::hours(24 * 90);
  auto cert = common::MintSelfSigned(spec, key, rng);
  return cert ? std::move(cert).value() : nullptr;
}

}  // namespace

nlohmann::json MeasureCryptoFloor(int count) {
  nlohmann::json out = {{"workload", "crypto-floor"}, {"count", count}};
  int failed = 0;
  const common::EvpPkeyPtr account_key = common::GenerateP256Key();
  const common::EvpPkeyPtr p256_ca_key = common::GenerateP256Key();
  const support::TestKey rsa_ca_key = support::TestKey::Generate(support::KeyKind::kRsa2048);
  const auto csr_der = MakeP256Csr("crypto-floor.example");
  if (!account_key || !p256_ca_key || !csr_der) {
    out["failed"] = 1;
    out["errors"] = {"key or CSR generation failed: " + common::OpenSslErrorText()};
    return out;
  }
  // About the size of a finalize's protected header and payload, base64url-encoded.
  const std::string signing_input(400, 'A');
  std::string signature;
  if (!SignDigest(account_key.get(), signing_input, &signature)) {
    ++failed;
  }
  out["es256_verify_us"] = TimeOp(
      count, [&] { return VerifyDigest(account_key.get(), signing_input, signature); }, &failed);

  const auto* cursor = reinterpret_cast<const unsigned char*>(csr_der->data());
  const common::X509ReqPtr request(
      d2i_X509_REQ(nullptr, &cursor, static_cast<long>(csr_der->size())));
  const common::EvpPkeyPtr request_key(request ? X509_REQ_get_pubkey(request.get()) : nullptr);
  out["csr_verify_us"] = TimeOp(
      count, [&] { return request_key && X509_REQ_verify(request.get(), request_key.get()) == 1; },
      &failed);

  const common::X509Ptr certificate = SampleCertificate(p256_ca_key.get());
  out["leaf_sign_p256_us"] = TimeOp(
      count,
      [&] {
        return certificate && X509_sign(certificate.get(), p256_ca_key.get(), EVP_sha256()) > 0;
      },
      &failed);
  out["leaf_sign_rsa2048_us"] = TimeOp(
      count,
      [&] {
        return certificate && X509_sign(certificate.get(), rsa_ca_key.get(), EVP_sha256()) > 0;
      },
      &failed);
  out["failed"] = failed;
  return out;
}

}  // namespace bench
