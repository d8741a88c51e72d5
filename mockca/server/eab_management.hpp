#pragma once

#include "http/message.hpp"
#include "mockca/wfe/eab_keys.hpp"

namespace mockca::server {

// The management path that hands out External Account Binding keys at run time. Our extension:
// Pebble only reads externalAccountMACKeys from its config (pebble.md §1.2, §3).
inline constexpr const char* kAddEabKeyPath = "/add-eab-key";

// Serves the management request POST /add-eab-key with body {"kid":"<ASCII>","hmacKey":"<unpadded
// base64url of the MAC key>"}: adds the key to keys (replacing that kid's key) and answers 200 with
// an empty body. The key then verifies newAccount bindings at once (S-EAB-02).
//  - another path → 404 with an empty body (as ServeManagement);
//  - another method → 405 with Allow: POST;
//  - a body that is not a JSON object, a kid that is missing, not a string, empty or not printable
//    ASCII (S-EAB-04), an hmacKey that is missing, not a string, not unpadded base64url
//    (jose::Base64UrlDecode) or empty → 400 with a one-line text/plain reason.
// Transport-free; the caller routes kAddEabKeyPath here. Thread-safe as keys is.
http::Response ServeEabManagement(const http::Request& request, wfe::EabKeys& keys);

}  // namespace mockca::server
