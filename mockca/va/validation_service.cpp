#include "mockca/va/validation_service.hpp"

#include <exception>
#include <memory>
#include <thread>
#include <utility>

#include "mockca/va/dns01.hpp"
#include "mockca/va/tls_alpn01.hpp"
#include "mockdns/resolver/resolver.hpp"

namespace mockca::va {
namespace {

using mockdns::resolver::QueryType;
using mockdns::resolver::Resolver;

// The address tls-alpn-01 dials: the IP itself, or the first A (then AAAA) record of the name.
acme::Result<std::string> TlsAlpnAddress(const acme::Identifier& identifier, Resolver& resolver) {
  if (identifier.type == "ip") {
    return identifier.value;
  }
  for (QueryType type : {QueryType::kA, QueryType::kAaaa}) {
    auto answer = resolver.Lookup(identifier.value, type);
    if (!answer) {
      return acme::MakeProblem(
          acme::ProblemType::kDns,
          "DNS problem: " + answer.error() + " looking up addresses of " + identifier.value);
    }
    if (!answer->values.empty()) {
      return answer->values.front();
    }
  }
  return acme::MakeProblem(acme::ProblemType::kDns,
                           "DNS problem: no A/AAAA records for " + identifier.value);
}

}  // namespace

common::Result<Validator::ResolverPtr, std::string> Validator::NewResolver() const {
  return mockdns::resolver::CaresResolver::Create({.server = options_.dns_server});
}

Validator::Validator(ValidatorOptions options)
    : options_(std::move(options)), pool_(options_.threads) {}

void Validator::SleepBeforeJob() const {
  if (options_.sleep_seconds == 0 || options_.rng == nullptr) {
    return;
  }
  const std::chrono::seconds pause(options_.rng->Below(options_.sleep_seconds));
  if (options_.sleep) {
    options_.sleep(pause);
  } else {
    std::this_thread::sleep_for(pause);
  }
}

void Validator::Submit(ValidationJob job, std::function<void(acme::Status)> done) {
  pool_.Post([this, job = std::move(job), done = std::move(done)] {
    acme::Status result;
    try {
      SleepBeforeJob();
      result = ValidateNow(job);
    } catch (const std::exception& e) {
      result = acme::ServerInternal(std::string("validation failed: ") + e.what());
    }
    done(std::move(result));
  });
}

acme::Status Validator::ValidateNow(const ValidationJob& job) const {
  const std::string& type = job.challenge_type;
  if (type != "dns-01" && type != "http-01" && type != "tls-alpn-01") {
    return acme::Malformed("unsupported challenge type \"" + type + "\"");
  }
  if (options_.always_valid) {
    return {};  // PEBBLE_VA_ALWAYS_VALID: no lookup, no connection
  }
  auto created = NewResolver();
  if (!created) {
    return acme::ServerInternal("cannot create a resolver for " + options_.dns_server + ": " +
                                created.error());
  }
  Resolver& resolver = *created.value();
  if (type == "dns-01") {
    return ValidateDns01(job.identifier, job.key_authorization, resolver);
  }
  if (type == "http-01") {
    return ValidateHttp01(job.identifier, job.token, job.key_authorization, resolver,
                          options_.http01);
  }
  auto address = TlsAlpnAddress(job.identifier, resolver);
  if (!address) {
    return address.error();
  }
  return ValidateTlsAlpn01(job.identifier, job.key_authorization, *address, options_.tls_alpn_port,
                           options_.tls_timeout);
}

}  // namespace mockca::va
