#include "mockca/va/validation_service.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "mockca/va/key_authorization.hpp"
#include "tests/support/mockdns_lab.hpp"

namespace validation_service_test {

namespace {

using mockca::acme::ProblemType;
using mockca::va::ValidationJob;
using mockca::va::Validator;
using mockca::va::ValidatorOptions;
using namespace std::chrono_literals;

const std::string kKeyAuthorization = mockca::va::KeyAuthorization("tok", "thumb");

// A Validator aimed at the lab's DNS, http-01 and tls-alpn-01 listeners, as Pebble's VA is aimed
// at challtestsrv through --dnsserver, httpPort and tlsPort.
ValidatorOptions OptionsFor(const support::MockDnsLab& lab, std::size_t threads = 2) {
  ValidatorOptions options;
  options.dns_server = lab.bound().dns.front().ToString();
  options.http01.port = lab.bound().http01.front().port;
  options.http01.timeout = 3s;
  options.tls_alpn_port = lab.bound().tls_alpn01.front().port;
  options.tls_timeout = 3s;
  options.threads = threads;
  return options;
}

ValidationJob Job(std::string type, std::string host, std::string identifier_type = "dns") {
  return {{std::move(identifier_type), std::move(host)}, std::move(type), "tok", kKeyAuthorization};
}

void CheckFails(const mockca::acme::Status& status, ProblemType type, const std::string& detail) {
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().type == type);
  CHECK_THAT(status.error().detail, Catch::Contains(detail));
}

// S-CHAL-10, S-CHAL-09, S-CHAL-11: each type passes through the real network path.
TEST_CASE("Validator passes each challenge type against mockdns", "[va][service][net]") {
  support::MockDnsLab lab;
  lab.dns().zone().Update([](mockdns::zone::ZoneData& d) {
    d.txt["_acme-challenge.dns.example."] = {mockca::va::Dns01TxtValue(kKeyAuthorization)};
  });
  lab.dns().challenges().AddHttp01("tok", kKeyAuthorization);
  lab.dns().challenges().AddTlsAlpn01("alpn.example", kKeyAuthorization);
  lab.dns().challenges().AddTlsAlpn01("127.0.0.1", kKeyAuthorization);
  const Validator validator(OptionsFor(lab));

  CHECK(validator.ValidateNow(Job("dns-01", "dns.example")).ok());
  CHECK(validator.ValidateNow(Job("http-01", "web.example")).ok());
  CHECK(validator.ValidateNow(Job("http-01", "127.0.0.1", "ip")).ok());
  CHECK(validator.ValidateNow(Job("tls-alpn-01", "alpn.example")).ok());  // resolved to 127.0.0.1
  CHECK(validator.ValidateNow(Job("tls-alpn-01", "127.0.0.1", "ip")).ok());
  const auto http = lab.dns().history().Http("web.example");
  CHECK_FALSE(http.empty());  // the request really went to the lab's http-01 port
}

// S-CHAL-07: a failed validation explains itself with the right problem type.
TEST_CASE("Validator types each failure", "[va][service][net]") {
  support::MockDnsLab lab;
  lab.dns().zone().Update([](mockdns::zone::ZoneData& d) {
    d.txt["_acme-challenge.stale.example."] = {mockca::va::Dns01TxtValue("other")};
    d.servfail.insert("_acme-challenge.broken.example.");
    d.servfail.insert("broken.example.");
  });
  lab.dns().challenges().AddHttp01("tok", "tok.wrong");
  lab.dns().challenges().AddTlsAlpn01("alpn.example", "tok.wrong");
  const Validator validator(OptionsFor(lab));

  CheckFails(validator.ValidateNow(Job("dns-01", "stale.example")), ProblemType::kUnauthorized, "");
  CheckFails(validator.ValidateNow(Job("dns-01", "broken.example")), ProblemType::kDns, "");
  CheckFails(validator.ValidateNow(Job("http-01", "web.example")), ProblemType::kUnauthorized,
             "did not match");
  CheckFails(validator.ValidateNow(Job("http-01", "broken.example")), ProblemType::kDns,
             "DNS problem");
  CheckFails(validator.ValidateNow(Job("tls-alpn-01", "alpn.example")), ProblemType::kUnauthorized,
             "SHA-256");
  // c-ares words a SERVFAIL as "Could not contact DNS servers"; the detail carries its text.
  CheckFails(validator.ValidateNow(Job("tls-alpn-01", "broken.example")), ProblemType::kDns,
             "DNS problem: Could not contact DNS servers looking up addresses of broken.example");
  CheckFails(validator.ValidateNow(Job("tls-alpn-01", "nobody.example")), ProblemType::kTls, "");
  CheckFails(validator.ValidateNow(Job("carrier-pigeon-01", "dns.example")),
             ProblemType::kMalformed, "carrier-pigeon-01");
}

TEST_CASE("Validator reports a name without addresses and a closed port", "[va][service][net]") {
  support::MockDnsLab lab;
  lab.dns().zone().Update([](mockdns::zone::ZoneData& d) { d.default_ipv4 = ""; });
  lab.dns().challenges().AddTlsAlpn01("alpn.example", kKeyAuthorization);
  ValidatorOptions options = OptionsFor(lab);
  const Validator validator(options);
  CheckFails(validator.ValidateNow(Job("tls-alpn-01", "alpn.example")), ProblemType::kDns,
             "no A/AAAA records for alpn.example");

  options.http01.port = 1;  // nothing listens on port 1 of 127.0.0.1
  options.tls_alpn_port = 1;
  const Validator closed(options);
  CheckFails(closed.ValidateNow(Job("http-01", "127.0.0.1", "ip")), ProblemType::kConnection, "");
  CheckFails(closed.ValidateNow(Job("tls-alpn-01", "127.0.0.1", "ip")), ProblemType::kConnection,
             "");
}

TEST_CASE("Validator refuses a DNS server it cannot use as serverInternal", "[va][service]") {
  ValidatorOptions options;
  options.dns_server = "not a server";
  const Validator validator(options);
  CheckFails(validator.ValidateNow(Job("dns-01", "dns.example")), ProblemType::kServerInternal,
             "not a server");
}

// Collects done() calls: how many, on which thread, with which result.
struct Results {
  std::mutex mu;
  std::condition_variable changed;
  std::vector<mockca::acme::Status> statuses;
  std::vector<std::thread::id> threads;

  std::function<void(mockca::acme::Status)> Callback() {
    return [this](mockca::acme::Status status) {
      std::lock_guard lock(mu);
      statuses.push_back(std::move(status));
      threads.push_back(std::this_thread::get_id());
      changed.notify_all();
    };
  }
  bool WaitFor(std::size_t count) {
    std::unique_lock lock(mu);
    return changed.wait_for(lock, 20s, [&] { return statuses.size() >= count; });
  }
};

TEST_CASE("Submit calls done exactly once, on a worker thread", "[va][service][net]") {
  support::MockDnsLab lab;
  lab.dns().zone().Update([](mockdns::zone::ZoneData& d) {
    d.txt["_acme-challenge.dns.example."] = {mockca::va::Dns01TxtValue(kKeyAuthorization)};
  });
  Results results;
  {
    Validator validator(OptionsFor(lab));
    validator.Submit(Job("dns-01", "dns.example"), results.Callback());
    validator.Submit(Job("dns-01", "absent.example"), results.Callback());
    REQUIRE(results.WaitFor(2));
    std::this_thread::sleep_for(50ms);  // room for a wrong second call
  }
  REQUIRE(results.statuses.size() == 2);
  for (const auto& id : results.threads) {
    CHECK(id != std::this_thread::get_id());
  }
  // Both outcomes arrive, in whichever order the two workers finish.
  const int passed = (results.statuses[0].ok() ? 1 : 0) + (results.statuses[1].ok() ? 1 : 0);
  CHECK(passed == 1);
  for (const auto& status : results.statuses) {
    if (!status.ok()) {
      CHECK(status.error().type == ProblemType::kUnauthorized);
    }
  }
}

TEST_CASE("The Validator's destructor finishes every queued job", "[va][service][net]") {
  support::MockDnsLab lab;
  lab.dns().zone().Update([](mockdns::zone::ZoneData& d) {
    d.txt["_acme-challenge.dns.example."] = {mockca::va::Dns01TxtValue(kKeyAuthorization)};
  });
  Results results;
  constexpr std::size_t kJobs = 12;
  {
    Validator validator(OptionsFor(lab, 1));
    for (std::size_t i = 0; i < kJobs; ++i) {
      validator.Submit(Job("dns-01", "dns.example"), results.Callback());
    }
  }  // no waiting: the destructor drains the queue before it returns
  REQUIRE(results.statuses.size() == kJobs);
  for (const auto& status : results.statuses) {
    CHECK(status.ok());
  }
}

}  // namespace

namespace {

// PEBBLE_VA_ALWAYS_VALID: no lookup and no connection (the DNS server below is unusable).
TEST_CASE("always_valid passes every known challenge type without the network", "[va][service]") {
  ValidatorOptions options;
  options.dns_server = "not a server";
  options.always_valid = true;
  const Validator validator(options);
  for (const char* type : {"dns-01", "http-01", "tls-alpn-01"}) {
    CHECK(validator.ValidateNow(Job(type, "nowhere.example")).ok());
  }
  CheckFails(validator.ValidateNow(Job("dns-persist-01", "nowhere.example")),
             ProblemType::kMalformed, "unsupported challenge type");
}

// PEBBLE_VA_SLEEPTIME: each job first sleeps 0..n-1 s drawn from the seeded Rng (injected sleep).
TEST_CASE("sleep_seconds draws each pause from the Rng before the job", "[va][service]") {
  std::mutex mu;
  std::vector<std::chrono::seconds> pauses;
  common::Rng rng(3);
  ValidatorOptions options;
  options.dns_server = "not a server";
  options.always_valid = true;
  options.sleep_seconds = 4;
  options.rng = &rng;
  options.sleep = [&](std::chrono::seconds pause) {
    std::lock_guard lock(mu);
    pauses.push_back(pause);
  };
  Results results;
  {
    Validator validator(options);
    for (int i = 0; i < 40; ++i) {
      validator.Submit(Job("http-01", "a.example"), results.Callback());
    }
    REQUIRE(results.WaitFor(40));
  }
  std::lock_guard lock(mu);
  REQUIRE(pauses.size() == 40);
  std::set<long> seen;
  for (const auto pause : pauses) {
    CHECK(pause.count() >= 0);
    CHECK(pause.count() <= 3);
    seen.insert(static_cast<long>(pause.count()));
  }
  CHECK(seen.size() > 1);
  for (const auto& status : results.statuses) {
    CHECK(status.ok());
  }
}

TEST_CASE("sleep_seconds 0 never sleeps", "[va][service]") {
  bool slept = false;
  common::Rng rng(3);
  ValidatorOptions options;
  options.dns_server = "not a server";
  options.always_valid = true;
  options.rng = &rng;
  options.sleep = [&](std::chrono::seconds) { slept = true; };
  Results results;
  {
    Validator validator(options);
    validator.Submit(Job("dns-01", "a.example"), results.Callback());
    REQUIRE(results.WaitFor(1));
  }
  CHECK_FALSE(slept);
}

}  // namespace

}  // namespace validation_service_test
