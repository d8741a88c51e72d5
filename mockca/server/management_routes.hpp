#pragma once

#include "http/message.hpp"
#include "mockca/ca/authority.hpp"

namespace mockca::server {

// The management listener's handler (Pebble's management interface, pebble.md §3): any method on
// /roots/0 and /intermediates/0 returns that certificate as PEM
// (application/pem-certificate-chain). Any other path or index → 404 with an empty body, as Pebble.
http::Response ServeManagement(const http::Request& request,
                               const ca::CertificateAuthority& authority);

}  // namespace mockca::server
