#pragma once

#include <string>

#include "common/result.hpp"

namespace bench {

// A PKCS#10 request (DER) for one dNSName SAN, signed with a fresh ECDSA P-256 key (ecdsa-with-
// SHA256), with no subject: what finalize sends (RFC 8555 §7.4). Errors are OpenSSL's text.
common::Result<std::string, std::string> MakeP256Csr(const std::string& dns_name);

}  // namespace bench
