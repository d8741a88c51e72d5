// mockca::ca::ParseCsr, the finalize CSR parser, on raw DER. Oracles: a parsed CSR has at least one
// identifier, every "dns" value is lowercase with no empty label, every "ip" value is canonical,
// the public key is set, and the CSR matches its own identifiers under CheckCsrAgainstOrder (with
// an unrelated account key); a refused CSR is badCSR with status 400 and a detail.

#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/openssl_holders.hpp"
#include "fuzz/fuzz_check.hpp"
#include "mockca/ca/csr.hpp"

namespace {

bool IsLowercaseWithoutEmptyLabel(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.' ||
      name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      return false;
    }
  }
  return true;
}

// value is an IPv4 or IPv6 literal in the text inet_ntop gives (RFC 5952 for IPv6).
bool IsCanonicalIp(const std::string& value) {
  unsigned char bytes[16];
  char text[INET6_ADDRSTRLEN] = {};
  const int family = value.find(':') == std::string::npos ? AF_INET : AF_INET6;
  return value.find('\0') == std::string::npos && inet_pton(family, value.c_str(), bytes) == 1 &&
         inet_ntop(family, bytes, text, sizeof text) != nullptr && value == text;
}

// Keys made once (key generation is slow and not input-driven): an account key no CSR holds, and
// the key that re-signs decodable inputs.
EVP_PKEY* OtherKey() {
  static const common::EvpPkeyPtr key(EVP_EC_gen("P-256"));
  return key.get();
}
EVP_PKEY* ResigningKey() {
  static const common::EvpPkeyPtr key(EVP_EC_gen("P-256"));
  return key.get();
}

// der re-signed by ResigningKey (its public key replaced), or empty when der does not decode.
std::string Resigned(std::string_view der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  const common::X509ReqPtr req(d2i_X509_REQ(nullptr, &cursor, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!req || X509_REQ_set_pubkey(req.get(), ResigningKey()) != 1 ||
      X509_REQ_sign(req.get(), ResigningKey(), EVP_sha256()) <= 0) {
    ERR_clear_error();
    return "";
  }
  const int length = i2d_X509_REQ(req.get(), nullptr);
  if (length <= 0) {
    ERR_clear_error();
    return "";
  }
  std::string out(static_cast<std::size_t>(length), '\0');
  auto* write = reinterpret_cast<unsigned char*>(out.data());
  i2d_X509_REQ(req.get(), &write);
  return out;
}

void CheckOracles(std::string_view der) {
  const auto info = mockca::ca::ParseCsr(der);
  if (!info) {
    FUZZ_CHECK(info.error().type == mockca::acme::ProblemType::kBadCsr);
    FUZZ_CHECK(info.error().status == 400);
    FUZZ_CHECK(!info.error().detail.empty());
    return;
  }
  FUZZ_CHECK(!info->identifiers.empty());
  FUZZ_CHECK(info->public_key != nullptr);
  for (const auto& identifier : info->identifiers) {
    FUZZ_CHECK(identifier.type == "dns" || identifier.type == "ip");
    if (identifier.type == "dns") {
      FUZZ_CHECK(IsLowercaseWithoutEmptyLabel(identifier.value));
    } else {
      FUZZ_CHECK(IsCanonicalIp(identifier.value));
    }
  }
  FUZZ_CHECK(mockca::ca::CheckCsrAgainstOrder(info.value(), info->identifiers, OtherKey()).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  const std::string_view der(reinterpret_cast<const char*>(data), size);
  CheckOracles(der);
  const std::string resigned = Resigned(der);
  if (!resigned.empty()) {
    CheckOracles(resigned);
  }
  return 0;
}
