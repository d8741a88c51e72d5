#include "mockca/va/tls_alpn01.hpp"

#include <arpa/inet.h>

#include <cstring>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <openssl/x509v3.h>

#include "common/ascii.hpp"
#include "common/ip_literal.hpp"
#include "common/openssl_holders.hpp"
#include "mockca/va/key_authorization.hpp"

namespace mockca::va {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;

constexpr char kAcmeIdentifierOid[] = "1.3.6.1.5.5.7.1.31";
constexpr unsigned char kAlpnWire[] =
    "\x0a"
    "acme-tls/1";

acme::Problem Unauthorized(const std::string& name, const std::string& why) {
  return acme::Unauthorized("Incorrect validation certificate for tls-alpn-01 challenge at " +
                            name + ": " + why);
}

// Whether the only SAN entry names identifier.
bool SanMatches(const GENERAL_NAME* san, const acme::Identifier& identifier) {
  if (identifier.type == "dns" && san->type == GEN_DNS) {
    const ASN1_IA5STRING* text = san->d.dNSName;
    return common::EqualsIgnoreCase(std::string_view(reinterpret_cast<const char*>(text->data),
                                                     static_cast<std::size_t>(text->length)),
                                    identifier.value);
  }
  if (identifier.type == "ip" && san->type == GEN_IPADD) {
    const ASN1_OCTET_STRING* ip = san->d.iPAddress;
    const auto octets = common::IpOctets(identifier.value);
    return octets && octets->size() == static_cast<std::size_t>(ip->length) &&
           std::memcmp(octets->data(), ip->data, octets->size()) == 0;
  }
  return false;
}

}  // namespace

std::string TlsAlpnServerName(const acme::Identifier& identifier) {
  if (identifier.type != "ip") {
    return identifier.value;
  }
  unsigned char bytes[16];
  if (inet_pton(AF_INET, identifier.value.c_str(), bytes) == 1) {
    return std::to_string(bytes[3]) + "." + std::to_string(bytes[2]) + "." +
           std::to_string(bytes[1]) + "." + std::to_string(bytes[0]) + ".in-addr.arpa";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name;
  if (inet_pton(AF_INET6, identifier.value.c_str(), bytes) == 1) {
    for (int i = 15; i >= 0; --i) {
      name += {kHex[bytes[i] & 15], '.', kHex[bytes[i] >> 4], '.'};
    }
    return name + "ip6.arpa";
  }
  return identifier.value;
}

acme::Status CheckTlsAlpnCertificate(X509* leaf, const acme::Identifier& identifier,
                                     const std::string& key_authorization) {
  const std::string name = identifier.value;
  common::GeneralNamesPtr sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr)));
  if (!sans || sk_GENERAL_NAME_num(sans.get()) != 1) {
    return Unauthorized(name, "the certificate must have exactly one subjectAltName");
  }
  if (!SanMatches(sk_GENERAL_NAME_value(sans.get(), 0), identifier)) {
    return Unauthorized(name, "its subjectAltName does not name " + identifier.value);
  }
  common::Asn1ObjectPtr oid(OBJ_txt2obj(kAcmeIdentifierOid, 1));
  const int index = X509_get_ext_by_OBJ(leaf, oid.get(), -1);
  X509_EXTENSION* extension = index < 0 ? nullptr : X509_get_ext(leaf, index);
  if (extension == nullptr || X509_EXTENSION_get_critical(extension) != 1) {
    return Unauthorized(name, "missing critical acmeIdentifier extension");
  }
  // extnValue must be exactly the DER OCTET STRING (04 20 || SHA-256(key authorization)).
  const std::string expected =
      std::string("\x04\x20", 2) + KeyAuthorizationDigest(key_authorization);
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(extension);
  if (static_cast<std::size_t>(value->length) != expected.size() ||
      std::memcmp(value->data, expected.data(), expected.size()) != 0) {
    return Unauthorized(name, "acmeIdentifier does not hold SHA-256 of the key authorization");
  }
  return {};
}

acme::Status ValidateTlsAlpn01(const acme::Identifier& identifier,
                               const std::string& key_authorization, const std::string& address,
                               std::uint16_t port, std::chrono::milliseconds timeout) {
  const std::string target = address + ":" + std::to_string(port);
  error_code ec;
  const auto ip = net::ip::make_address(address, ec);
  if (ec || !common::IsIpLiteral(address)) {
    return acme::MakeProblem(acme::ProblemType::kConnection, "bad address " + address);
  }
  net::io_context ioc;
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_none);  // RFC 8737 §3: the certificate is self-signed
  SSL_CTX_set_alpn_protos(context.native_handle(), kAlpnWire, sizeof kAlpnWire - 1);
  ssl::stream<net::ip::tcp::socket> stream(ioc, context);
  const std::string server_name = TlsAlpnServerName(identifier);
  SSL_set_tlsext_host_name(stream.native_handle(), server_name.c_str());

  error_code connect_ec = net::error::timed_out, handshake_ec = net::error::timed_out;
  bool connected = false;
  stream.lowest_layer().async_connect({ip, port}, [&](error_code e) {
    connect_ec = e;
    if (e) {
      return;
    }
    connected = true;
    stream.async_handshake(ssl::stream_base::client, [&](error_code h) { handshake_ec = h; });
  });
  ioc.run_for(timeout);  // whatever has not finished by now counts as timed out
  if (!connected || connect_ec) {
    return acme::MakeProblem(acme::ProblemType::kConnection,
                             "Connecting to " + target + ": " + connect_ec.message());
  }
  if (handshake_ec) {
    return acme::MakeProblem(
        acme::ProblemType::kTls,
        "TLS handshake with " + target + " (SNI " + server_name + "): " + handshake_ec.message());
  }
  const unsigned char* protocol = nullptr;
  unsigned int length = 0;
  SSL_get0_alpn_selected(stream.native_handle(), &protocol, &length);
  if (length != sizeof kAlpnWire - 2 || std::memcmp(protocol, kAlpnWire + 1, length) != 0) {
    return acme::MakeProblem(acme::ProblemType::kTls,
                             target + " did not negotiate the acme-tls/1 protocol");
  }
  common::X509Ptr leaf(SSL_get1_peer_certificate(stream.native_handle()));
  if (!leaf) {
    return acme::MakeProblem(acme::ProblemType::kTls, target + " presented no certificate");
  }
  return CheckTlsAlpnCertificate(leaf.get(), identifier, key_authorization);
}

}  // namespace mockca::va
