#pragma once

#include <string>
#include <string_view>

#include "mockca/acme/problem.hpp"

namespace mockca::jose {

// The base64url encoding of bytes (RFC 4648 §5) without "=" padding, as JOSE and ACME use it
// (RFC 7515 §2, RFC 8555 §6.1).
std::string Base64UrlEncode(std::string_view bytes);

// Decodes text, which must be unpadded base64url (RFC 7515 §2): only A-Z a-z 0-9 "-" "_".
// Fails with ProblemType::kMalformed (status 400) and a detail starting "field <field>: " when
//  - text contains "=" (S-HTTP-04: padding is refused, whether trailing or not);
//  - text contains any other character outside the alphabet ("+", "/", whitespace, ...);
//  - the length is 1 mod 4, which no byte string encodes to.
// Non-zero trailing bits in the last character are accepted (RFC 4648 §3.5 allows it). "" decodes
// to "". field only names the input in the detail.
acme::Result<std::string> Base64UrlDecode(std::string_view text, std::string_view field);

}  // namespace mockca::jose
