#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/ssl/context.hpp>

#include "common/result.hpp"

namespace mockca::server {

// A TLS 1.2+ server context from PEM text (--tls-cert/--tls-key, or the built-in pair): the first
// certificate of cert_pem is the leaf, any further ones are sent as its chain (one OpenSSL refuses
// at its security level is left out); key_pem's first
// private key must match the leaf. An encrypted key is refused, never prompted for. Errors start
// with what and say which part is wrong.
common::Result<std::shared_ptr<boost::asio::ssl::context>, std::string> TlsContextFromPem(
    std::string_view cert_pem, std::string_view key_pem, const std::string& what);

}  // namespace mockca::server
