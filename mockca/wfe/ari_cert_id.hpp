#pragma once

#include <string>
#include <string_view>

#include "mockca/acme/problem.hpp"

namespace mockca::wfe {

// An ARI certificate identifier (RFC 9773 §4.1): the issuer's key and the certificate's serial.
struct CertId {
  std::string key_id;  // the AKI extension's keyIdentifier octets
  std::string serial;  // the serial's DER INTEGER content octets, sign byte included
};

// Parses "<base64url(key_id)>.<base64url(serial)>", unpadded (C-ARI-01, S-ARI-02). Fails with
// ProblemType::kMalformed (400) when there is not exactly one '.', when a part is empty or is not
// strict unpadded base64url (padding '=' is refused), or when the serial is not the content of a
// positive, minimally encoded DER INTEGER: a first octet >= 0x80 (the sign byte 0x00 left out, as
// Cert Warden did) or a needless leading 0x00. The detail says which.
acme::Result<CertId> ParseCertId(std::string_view text);

// The text ParseCertId reads back: unpadded base64url parts joined by '.'.
std::string FormatCertId(const CertId& id);

// Lowercase hex of id.serial: the store's serial_hex (core::Certificate).
std::string SerialHex(const CertId& id);

}  // namespace mockca::wfe
