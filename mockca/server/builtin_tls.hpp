#pragma once

#include <string_view>

namespace mockca::server {

// The built-in HTTPS certificate (localhost, 127.0.0.1, ::1), its key and its issuer: the PEM
// files of mockca/certs compiled in, so the executable serves HTTPS from any directory. Clients
// trust mockca/certs/test-root.pem (README, "Trusting mockca").
std::string_view BuiltinTlsCertificatePem();
std::string_view BuiltinTlsKeyPem();
std::string_view BuiltinTlsRootPem();

}  // namespace mockca::server
