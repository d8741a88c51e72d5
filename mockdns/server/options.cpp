#include "mockdns/server/options.hpp"

#include <charconv>

#include "common/flag_set.hpp"
#include "common/ip_literal.hpp"
#include "faults/fault_rules_file.hpp"

namespace mockdns::server {

common::Result<MockDnsOptions, std::string> ParseMockDnsFlags(int argc, const char* const* argv,
                                                              std::string* usage) {
  std::string http01 = ":5002", https01 = ":5003", tls_alpn01 = ":5001", dns = ":8053",
              doh = ":8443", management = ":8055", seed, faults_file;
  MockDnsOptions options;
  bool listen_all = false;

  common::FlagSet flags("mockdns");
  flags.String(
      {"http01"}, &http01,
      "Comma separated bind addresses/ports for HTTP-01 challenges. Set empty to disable.");
  flags.String(
      {"https01"}, &https01,
      "Comma separated bind addresses/ports for HTTPS HTTP-01 challenges. Set empty to disable.");
  flags.String(
      {"tlsalpn01"}, &tls_alpn01,
      "Comma separated bind addresses/ports for TLS-ALPN-01 challenges. Set empty to disable.");
  flags.String({"dnsserver", "dns01"}, &dns,
               "Comma separated bind addresses/ports for the DNS server (UDP and TCP). Set empty "
               "to disable.");
  flags.String({"doh"}, &doh,
               "Comma separated bind addresses/ports for DNS over HTTPS. Set empty to disable.");
  flags.String({"doh-cert"}, &options.doh_cert, "PEM certificate for DNS over HTTPS");
  flags.String({"doh-cert-key"}, &options.doh_cert_key, "PEM private key for DNS over HTTPS");
  flags.String({"management"}, &management,
               "Bind address/port for the management HTTP interface. Set empty to disable.");
  flags.String({"defaultIPv4"}, &options.default_ipv4,
               "Default IPv4 address for mock DNS responses to A queries");
  flags.String({"defaultIPv6"}, &options.default_ipv6,
               "Default IPv6 address for mock DNS responses to AAAA queries");
  flags.Bool({"listen-all"}, &listen_all,
             "Addresses without a host bind every interface instead of 127.0.0.1 (management "
             "only with -expose-management)");
  bool expose_management = false;
  flags.Bool({"expose-management"}, &expose_management,
             "Allow the management API on addresses other than loopback (it controls every DNS "
             "answer and challenge response)");
  flags.String({"seed"}, &seed, "Seed for every random choice (printed at start when not given)");
  flags.String(
      {"faults"}, &faults_file,
      "JSON file (or inline JSON) of DNS fault rules (an array, or {\"faults\": [...]}; README "
      "\"Faults\") in force from the start; GET/POST/DELETE /faults on the management "
      "port change them at run time");
  flags.Bool({"verbose", "v"}, &options.verbose, "Log every management call and refused query");
  *usage = flags.Usage();

  if (auto parsed = flags.Parse(argc, argv); !parsed) {
    return parsed.error();
  }
  struct {
    const std::string* text;
    std::vector<common::ListenAddress>* out;
    const char* flag;
    bool management;
  } lists[] = {{&http01, &options.http01, "http01", false},
               {&https01, &options.https01, "https01", false},
               {&tls_alpn01, &options.tls_alpn01, "tlsalpn01", false},
               {&dns, &options.dns, "dnsserver", false},
               {&doh, &options.doh, "doh", false},
               {&management, &options.management, "management", true}};
  for (const auto& list : lists) {
    auto parsed =
        common::ParseListenList(*list.text, listen_all && (!list.management || expose_management));
    if (!parsed) {
      return common::MakeErr("-" + std::string(list.flag) + ": " + parsed.error());
    }
    *list.out = std::move(parsed).value();
  }
  if (std::string exposed = common::ManagementExposureError(options.management, expose_management,
                                                            "-management", "-expose-management");
      !exposed.empty()) {
    return common::MakeErr(std::move(exposed));
  }
  if (!options.default_ipv4.empty() &&
      !common::IsIpLiteral(options.default_ipv4, common::IpFamily::kV4)) {
    return common::MakeErr("-defaultIPv4: \"" + options.default_ipv4 + "\" is not an IPv4 address");
  }
  if (!options.default_ipv6.empty() &&
      !common::IsIpLiteral(options.default_ipv6, common::IpFamily::kV6)) {
    return common::MakeErr("-defaultIPv6: \"" + options.default_ipv6 + "\" is not an IPv6 address");
  }
  if (!seed.empty()) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(seed.data(), seed.data() + seed.size(), value);
    if (ec != std::errc() || end != seed.data() + seed.size()) {
      return common::MakeErr("--seed: \"" + seed + "\" is not an unsigned integer");
    }
    options.seed = value;
  }
  if (!faults_file.empty()) {
    auto rules = faults::LoadFaultRules(faults_file);
    if (!rules) {
      return common::MakeErr("--faults: " + rules.error());
    }
    options.fault_rules = std::move(rules).value();
  }
  return options;
}

}  // namespace mockdns::server
