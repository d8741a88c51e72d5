// mockdns --faults FILE: DNS fault rules in force from the start (the issue's "DNS: SERVFAIL,
// NXDOMAIN, REFUSED, timeout, truncation, wrong answers, delays").
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mockdns/server/options.hpp"

namespace options_faults_test {

namespace {

using mockdns::server::ParseMockDnsFlags;

// A file in the temporary directory, removed when the test ends.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_(std::filesystem::temp_directory_path() / name) {
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

common::Result<mockdns::server::MockDnsOptions, std::string> Parse(std::vector<const char*> args) {
  std::string usage;
  args.insert(args.begin(), "mockdns");
  return ParseMockDnsFlags(static_cast<int>(args.size()), args.data(), &usage);
}

TEST_CASE("Flag --faults FILE loads DNS fault rules", "[server][options][dns-faults]") {
  SECTION("an array") {
    const TempFile file("mockdns_faults_array_test.json",
                        R"([{"id":"a","fault":"servfail","when":{"dnsType":"TXT"}},)"
                        R"({"fault":"dnsDelay","delayMs":100}])");
    auto options = Parse({"--faults", file.path().c_str()});
    REQUIRE(options.ok());
    REQUIRE(options.value().fault_rules.size() == 2);
    CHECK(options.value().fault_rules[0].id == "a");
    CHECK(options.value().fault_rules[0].what.kind == faults::FaultKind::kDnsServfail);
    CHECK(options.value().fault_rules[1].what.delay_ms == 100);
  }
  SECTION("an object with faults") {
    const TempFile file("mockdns_faults_object_test.json",
                        R"({"faults":[{"fault":"truncate","where":"dns"}]})");
    const std::string flag = "-faults=" + file.path();  // Go's flag form
    auto options = Parse({flag.c_str()});
    REQUIRE(options.ok());
    CHECK(options.value().fault_rules.size() == 1);
  }
  SECTION("none by default") {
    auto options = Parse({});
    REQUIRE(options.ok());
    CHECK(options.value().fault_rules.empty());
  }
}

TEST_CASE("Flag --faults with a bad file names the member", "[server][options][dns-faults]") {
  SECTION("a bad member") {
    const TempFile file("mockdns_faults_bad_test.json",
                        R"([{"fault":"servfail"},{"fault":"dnsDelay","delayMs":-5}])");
    auto options = Parse({"--faults", file.path().c_str()});
    REQUIRE_FALSE(options.ok());
    CHECK_THAT(options.error(), Catch::Contains("--faults") && Catch::Contains("faults[1]") &&
                                    Catch::Contains("delayMs"));
  }
  SECTION("a missing file") {
    auto options = Parse({"--faults", "/nonexistent/mockdns-faults.json"});
    REQUIRE_FALSE(options.ok());
    CHECK_THAT(options.error(), Catch::Contains("/nonexistent/mockdns-faults.json"));
  }
}

}  // namespace

}  // namespace options_faults_test
