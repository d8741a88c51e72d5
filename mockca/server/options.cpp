#include "mockca/server/options.hpp"

#include <charconv>

#include "common/flag_set.hpp"

namespace mockca::server {
namespace {

template <typename Number>
common::Result<Number, std::string> ParseNumber(const std::string& text, const char* flag) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return common::MakeErr<std::string>(std::string("--") + flag + ": \"" + text +
                                        "\" is not a number in range");
  }
  return value;
}

}  // namespace

common::Result<MockCaOptions, std::string> ParseMockCaFlags(int argc, const char* const* argv,
                                                            std::string* usage) {
  std::string acme = ":14000", management = ":15000", http_port = "80", tls_port = "443",
              key_algorithm = "ecdsa", seed, mockdns_dns = ":8053", mockdns_management = ":8055",
              mockdns_http01 = ":5002", mockdns_tls_alpn01 = ":5001";
  MockCaOptions options;
  bool listen_all = false;

  common::FlagSet flags("mockca");
  flags.String({"listen"}, &acme,
               "Comma separated bind addresses/ports for the ACME server (HTTPS); :0 picks a port");
  flags.String({"management"}, &management,
               "Bind addresses/ports for the management interface (HTTPS). Set empty to disable.");
  flags.String({"tls-cert"}, &options.tls_cert,
               "PEM certificate (chain) for both HTTPS listeners (default: the built-in one for "
               "localhost, 127.0.0.1 and ::1, issued by mockca/certs/test-root.pem)");
  flags.String({"tls-key"}, &options.tls_key, "PEM private key for --tls-cert");
  flags.String({"dns-server", "dnsserver"}, &options.dns_server,
               "host:port of the DNS server the VA asks; empty starts an embedded mockdns");
  flags.String({"http-port"}, &http_port, "Port the VA connects to for http-01");
  flags.String({"tls-port"}, &tls_port, "Port the VA connects to for tls-alpn-01");
  flags.String({"key-algorithm"}, &key_algorithm,
               "Key algorithm of the generated root and intermediate: ecdsa (P-256) or rsa (2048)");
  flags.String({"mockdns-dns"}, &mockdns_dns, "Embedded mockdns: DNS (UDP and TCP) addresses");
  flags.String({"mockdns-management"}, &mockdns_management,
               "Embedded mockdns: management API addresses (pebble-challtestsrv's); empty: off");
  flags.String({"mockdns-http01"}, &mockdns_http01,
               "Embedded mockdns: http-01 responder addresses; empty: off");
  flags.String({"mockdns-tlsalpn01"}, &mockdns_tls_alpn01,
               "Embedded mockdns: tls-alpn-01 responder addresses; empty: off");
  flags.Bool({"listen-all"}, &listen_all,
             "Addresses without a host bind every interface instead of 127.0.0.1");
  flags.String({"seed"}, &seed, "Seed for every random choice (printed at start when not given)");
  flags.Bool({"verbose", "v"}, &options.verbose, "Log every request");
  *usage = flags.Usage();

  if (auto parsed = flags.Parse(argc, argv); !parsed) {
    return parsed.error();
  }
  struct {
    const std::string* text;
    std::vector<common::ListenAddress>* out;
    const char* flag;
  } lists[] = {{&acme, &options.acme, "listen"},
               {&management, &options.management, "management"},
               {&mockdns_dns, &options.mockdns_dns, "mockdns-dns"},
               {&mockdns_management, &options.mockdns_management, "mockdns-management"},
               {&mockdns_http01, &options.mockdns_http01, "mockdns-http01"},
               {&mockdns_tls_alpn01, &options.mockdns_tls_alpn01, "mockdns-tlsalpn01"}};
  for (const auto& list : lists) {
    auto parsed = common::ParseListenList(*list.text, listen_all);
    if (!parsed) {
      return common::MakeErr("--" + std::string(list.flag) + ": " + parsed.error());
    }
    *list.out = std::move(parsed).value();
  }
  if (options.acme.empty()) {
    return common::MakeErr<std::string>("--listen: at least one address is needed");
  }
  if (options.dns_server.empty() && options.mockdns_dns.empty()) {
    return common::MakeErr<std::string>(
        "--mockdns-dns: the embedded mockdns needs a DNS address unless --dns-server is given");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return common::MakeErr<std::string>("--tls-cert and --tls-key go together");
  }
  for (auto [text, out, flag] : {std::tuple{&http_port, &options.http_port, "http-port"},
                                 std::tuple{&tls_port, &options.tls_port, "tls-port"}}) {
    auto port = ParseNumber<std::uint16_t>(*text, flag);
    if (!port) {
      return port.error();
    }
    *out = port.value();
  }
  if (key_algorithm == "ecdsa") {
    options.key_algorithm = ca::KeyAlgorithm::kEcdsaP256;
  } else if (key_algorithm == "rsa") {
    options.key_algorithm = ca::KeyAlgorithm::kRsa2048;
  } else {
    return common::MakeErr("--key-algorithm: \"" + key_algorithm + "\" is not ecdsa or rsa");
  }
  if (!seed.empty()) {
    auto value = ParseNumber<std::uint64_t>(seed, "seed");
    if (!value) {
      return value.error();
    }
    options.seed = value.value();
  }
  return options;
}

}  // namespace mockca::server
