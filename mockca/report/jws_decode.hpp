#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mockca/jose/jws.hpp"
#include "mockca/report/records.hpp"

namespace mockca::report {

// body decoded as far as it decodes, when it is a JSON object (RFC 8555 §6.2 wants a flattened
// JWS; anything else a client sends as a JSON object is recorded too, so rules see it). nullopt
// when body is not a JSON object. The base64url strings are kept as sent; protected and payload
// are decoded with the strict decoder of mockca/jose (no padding, URL-safe alphabet only), so a
// padded or non-URL-safe value leaves protected_header / payload null (C-HTTP-06 reads the raw
// strings). Never throws.
std::optional<RecordedJws> DecodeJws(std::string_view body);

// DecodeJws's flags and the protected header's alg, nonce, url, kid and jwk only: the base64url
// strings, protected_header and payload stay empty. What the Recorder needs while it records (who
// signed, which nonce); DecodeJws of the kept body gives the rest when a snapshot is taken.
std::optional<RecordedJws> DecodeJwsHeaderFields(std::string_view body);
// DecodeJwsHeaderFields(body) for a body jose::ParseJws accepted, from the protected header it
// gave: no second parse (the WFE's parse is shared with the Recorder).
RecordedJws HeaderFieldsOf(const jose::ProtectedHeader& header);

// Who signed jws, for attribution: the kid itself when the protected
// header has a non-empty string kid, "key:<RFC 7638 thumbprint>" when it has a jwk object, else
// "" (unsigned, or neither). A jwk mockca/jose cannot parse gets "key:unparsed:<base64url of the
// SHA-256 of its JSON text>", so the same odd key still maps to one client.
std::string SignerOf(const RecordedJws& jws);

}  // namespace mockca::report
