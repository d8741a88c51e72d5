#include "mockdns/server/tls_alpn_certificate.hpp"

#include <arpa/inet.h>

#include <vector>

#include <openssl/sha.h>

#include "common/ascii.hpp"
#include "common/x509_builder.hpp"

namespace mockdns::server {
namespace {

std::vector<std::string> SplitLabels(const std::string& name) {
  std::vector<std::string> labels;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto dot = name.find('.', start);
    labels.push_back(
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  return labels;
}

}  // namespace

std::optional<std::string> ReverseNameToIp(const std::string& name) {
  std::string lower = common::AsciiLower(name);
  if (!lower.empty() && lower.back() == '.') {
    lower.pop_back();
  }
  auto labels = SplitLabels(lower);
  const std::size_t n = labels.size();
  if (n == 6 && labels[4] == "in-addr" && labels[5] == "arpa") {
    std::string ip = labels[3] + "." + labels[2] + "." + labels[1] + "." + labels[0];
    unsigned char buffer[4];
    return inet_pton(AF_INET, ip.c_str(), buffer) == 1 ? std::optional(ip) : std::nullopt;
  }
  if (n == 34 && labels[32] == "ip6" && labels[33] == "arpa") {
    std::string hex;
    for (int i = 31; i >= 0; --i) {
      if (labels[i].size() != 1 || !std::isxdigit(static_cast<unsigned char>(labels[i][0]))) {
        return std::nullopt;
      }
      hex += labels[i];
      if (i % 4 == 0 && i != 0) {
        hex += ':';
      }
    }
    unsigned char buffer[16];
    char text[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET6, hex.c_str(), buffer) != 1 ||
        inet_ntop(AF_INET6, buffer, text, sizeof text) == nullptr) {
      return std::nullopt;
    }
    return std::string(text);
  }
  return std::nullopt;
}

common::Result<common::X509Ptr, std::string> MintTlsAlpnCertificate(
    const std::string& server_name, const std::string& key_authorization, EVP_PKEY* key,
    common::Rng& rng) {
  common::CertificateSpec spec;
  if (auto ip = ReverseNameToIp(server_name)) {
    spec.ip_addresses.push_back(*ip);
  } else {
    spec.dns_names.push_back(server_name);
  }
  const auto now = std::chrono::system_clock::now();
  spec.not_before = now - std::chrono::hours(12);
  spec.not_after = now + std::chrono::hours(12);

  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key_authorization.data()), key_authorization.size(),
         digest);
  // extnValue = DER OCTET STRING (tag 0x04, length 32) of the digest (RFC 8737 §3).
  std::vector<unsigned char> value = {0x04, SHA256_DIGEST_LENGTH};
  value.insert(value.end(), digest, digest + SHA256_DIGEST_LENGTH);
  spec.extensions.push_back({kAcmeIdentifierOid, std::move(value), /*critical=*/true});
  return common::MintSelfSigned(spec, key, rng);
}

}  // namespace mockdns::server
