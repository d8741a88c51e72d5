#include "mockdns/server/mockdns_server.hpp"

#include "common/json.hpp"
#include "common/x509_builder.hpp"
#include "http/server.hpp"
#include "mockdns/api/doh_handler.hpp"
#include "mockdns/api/http01_responder.hpp"
#include "mockdns/api/management_api.hpp"
#include "mockdns/server/dns_server.hpp"
#include "mockdns/server/tls_alpn_server.hpp"

namespace mockdns::server {
namespace {

namespace ssl = boost::asio::ssl;
using common::ListenAddress;

std::shared_ptr<ssl::context> TlsContext(X509* cert, EVP_PKEY* key) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  SSL_CTX_use_certificate(context->native_handle(), cert);
  SSL_CTX_use_PrivateKey(context->native_handle(), key);
  return context;
}

// challtestsrv's HTTPS-01 server presents a throwaway self-signed certificate.
common::Result<std::shared_ptr<ssl::context>, std::string> SelfSignedContext(common::Rng& rng) {
  auto key = common::GenerateP256Key();
  common::CertificateSpec spec;
  spec.common_name = "challenge test server";
  spec.dns_names = {"localhost"};
  spec.ip_addresses = {"127.0.0.1", "::1"};
  spec.not_before = std::chrono::system_clock::now() - std::chrono::hours(1);
  spec.not_after = spec.not_before + std::chrono::hours(24 * 365);
  auto cert = common::MintSelfSigned(spec, key.get(), rng);
  if (!cert) {
    return cert.error();
  }
  return TlsContext(cert.value().get(), key.get());
}

common::Result<std::shared_ptr<ssl::context>, std::string> ContextFromFiles(
    const std::string& cert_path, const std::string& key_path) {
  auto cert = common::ReadCertificatePemFile(cert_path);
  if (!cert) {
    return cert.error();
  }
  auto key = common::ReadPrivateKeyPemFile(key_path);
  if (!key) {
    return key.error();
  }
  auto context = TlsContext(cert.value().get(), key.value().get());
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return common::MakeErr("-doh-cert-key does not match -doh-cert");
  }
  return context;
}

nlohmann::json ToJson(const std::vector<ListenAddress>& addresses) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& address : addresses) {
    list.push_back(address.ToString());
  }
  return list;
}

}  // namespace

struct MockDns::Servers {
  std::unique_ptr<api::ManagementApi> management_api;
  std::vector<std::unique_ptr<http::Server>> http;
  std::unique_ptr<DnsServer> dns;
  std::unique_ptr<TlsAlpnServer> tls_alpn;
};

MockDns::MockDns(boost::asio::io_context& ioc, MockDnsOptions options, common::Rng& rng,
                 common::Logger& log, faults::FaultEngine* shared_faults)
    : ioc_(ioc),
      options_(std::move(options)),
      rng_(rng),
      log_(log),
      own_faults_(shared_faults ? nullptr
                                : std::make_unique<faults::FaultEngine>(rng.seed(), clock_)),
      faults_(shared_faults ? *shared_faults : *own_faults_) {
  zone_.Update([this](zone::ZoneData& d) {
    d.default_ipv4 = options_.default_ipv4;
    d.default_ipv6 = options_.default_ipv6;
  });
}

MockDns::~MockDns() {
  Stop();
}

common::Result<BoundAddresses, std::string> MockDns::Start() {
  for (const auto& rule : options_.fault_rules) {
    if (auto added = faults_.Add(rule); !added) {
      return common::MakeErr("--faults: " + added.error());
    }
  }
  auto servers = std::make_unique<Servers>();
  BoundAddresses bound;
  // Binds each address with listen, appending the result; the first failure stops Start().
  auto bind_all = [](const std::vector<ListenAddress>& addresses, auto&& listen,
                     std::vector<ListenAddress>& out) -> common::Status<std::string> {
    for (const auto& address : addresses) {
      auto result = listen(address);
      if (!result) {
        return result.error();
      }
      out.push_back(result.value());
    }
    return {};
  };
  auto add_http = [&](http::Handler handler, std::shared_ptr<ssl::context> tls,
                      http::ServerLimits limits, const std::vector<ListenAddress>& addresses,
                      std::vector<ListenAddress>& out) {
    servers->http.push_back(
        std::make_unique<http::Server>(ioc_, std::move(handler), std::move(tls), limits, log_));
    auto* server = servers->http.back().get();
    return bind_all(
        addresses, [server](const ListenAddress& a) { return server->Listen(a); }, out);
  };

  if (!options_.dns.empty()) {
    servers->dns =
        std::make_unique<DnsServer>(ioc_, zone_, history_, DnsServerLimits{}, log_, &faults_);
    if (auto s = bind_all(
            options_.dns, [&](auto& a) { return servers->dns->Listen(a); }, bound.dns);
        !s) {
      return s.error();
    }
  }
  if (!options_.tls_alpn01.empty()) {
    servers->tls_alpn = std::make_unique<TlsAlpnServer>(ioc_, challenges_, history_, rng_, log_);
    if (auto s = bind_all(
            options_.tls_alpn01, [&](auto& a) { return servers->tls_alpn->Listen(a); },
            bound.tls_alpn01);
        !s) {
      return s.error();
    }
  }
  // challtestsrv's http-01 servers: no keep-alive, 5 s timeouts.
  const http::ServerLimits http01_limits{8 * 1024, 64 * 1024, std::chrono::seconds(5), 256, false};
  auto http01 = [this](const http::Request& r) {
    return api::RespondHttp01(r, challenges_, history_);
  };
  if (!options_.http01.empty()) {
    if (auto s = add_http(http01, nullptr, http01_limits, options_.http01, bound.http01); !s) {
      return s.error();
    }
  }
  if (!options_.https01.empty()) {
    auto context = SelfSignedContext(rng_);
    if (!context) {
      return context.error();
    }
    if (auto s = add_http(http01, context.value(), http01_limits, options_.https01, bound.https01);
        !s) {
      return s.error();
    }
  }
  if (!options_.doh.empty()) {
    if (options_.doh_cert.empty() || options_.doh_cert_key.empty()) {
      // As challtestsrv: DoH without a certificate is logged and not served.
      log_.Warn("-doh needs -doh-cert and -doh-cert-key; DNS over HTTPS is not served");
    } else {
      auto context = ContextFromFiles(options_.doh_cert, options_.doh_cert_key);
      if (!context) {
        return common::MakeErr("DoH: " + context.error());
      }
      auto doh = [this](const http::Request& r) {
        return api::RespondDoh(r, zone_, history_, &faults_);
      };
      if (auto s = add_http(doh, context.value(), http::ServerLimits{}, options_.doh, bound.doh);
          !s) {
        return s.error();
      }
    }
  }
  if (!options_.management.empty()) {
    const api::EnabledServers enabled{!options_.dns.empty(),
                                      !options_.http01.empty() || !options_.https01.empty(),
                                      !options_.tls_alpn01.empty()};
    servers->management_api =
        std::make_unique<api::ManagementApi>(zone_, challenges_, history_, enabled, log_, &faults_);
    auto* api = servers->management_api.get();
    if (auto s = add_http([api](const http::Request& r) { return api->Handle(r); }, nullptr,
                          http::ServerLimits{}, options_.management, bound.management);
        !s) {
      return s.error();
    }
  }
  servers_ = std::move(servers);
  return bound;
}

void MockDns::Stop() {
  if (!servers_) {
    return;
  }
  for (auto& server : servers_->http) {
    server->Stop();
  }
  if (servers_->dns) {
    servers_->dns->Stop();
  }
  if (servers_->tls_alpn) {
    servers_->tls_alpn->Stop();
  }
}

std::string ReadyLine(const BoundAddresses& bound, std::uint64_t seed) {
  nlohmann::json line = {{"ready", "mockdns"},
                         {"seed", seed},
                         {"dnsserver", ToJson(bound.dns)},
                         {"http01", ToJson(bound.http01)},
                         {"https01", ToJson(bound.https01)},
                         {"tlsalpn01", ToJson(bound.tls_alpn01)},
                         {"doh", ToJson(bound.doh)},
                         {"management", ToJson(bound.management)}};
  return line.dump();
}

}  // namespace mockdns::server
