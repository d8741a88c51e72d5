#pragma once

namespace mockca::wfe::paths {

// Pebble's paths (pebble.md §2.1): deliberately unlike Boulder's, so clients must read the
// directory. A trailing '/' marks a prefix followed by an object ID.
inline constexpr char kDirectory[] = "/dir";
inline constexpr char kNewNonce[] = "/nonce-plz";
inline constexpr char kNewAccount[] = "/sign-me-up";
inline constexpr char kAccount[] = "/my-account/";
inline constexpr char kKeyChange[] = "/rollover-account-key";
inline constexpr char kNewOrder[] = "/order-plz";
inline constexpr char kOrder[] = "/my-order/";
inline constexpr char kFinalize[] = "/finalize-order/";
inline constexpr char kAuthz[] = "/authZ/";
inline constexpr char kChallenge[] = "/chalZ/";
inline constexpr char kCertificate[] = "/certZ/";
inline constexpr char kRevokeCert[] = "/revoke-cert";
inline constexpr char kOrdersList[] = "/list-orderz/";

}  // namespace mockca::wfe::paths
