#include "mockdns/api/management_api.hpp"

#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/dns_query.hpp"
#include "tests/support/management_fixture.hpp"

namespace management_api_test {

namespace {

namespace wire = mockdns::wire;
using mockdns::zone::ZoneData;
using support::ManagementFixture;
using Strings = std::vector<std::string>;

struct EndpointCase {
  const char* name;
  std::vector<std::pair<std::string, std::string>> posts;  // target, body; each must give 200
  std::function<void(ManagementFixture&)> check;
};

TEST_CASE("ManagementApi endpoints answer 200 with an empty body and take effect",
          "[api][management]") {
  const EndpointCase cases[] = {
      {"set-default-ipv4",
       {{"/set-default-ipv4", R"({"ip":"10.1.1.1"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().default_ipv4 == "10.1.1.1"); }},
      {"set-default-ipv4 empty disables",
       {{"/set-default-ipv4", R"({"ip":""})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().default_ipv4.empty()); }},
      {"set-default-ipv6",
       {{"/set-default-ipv6", R"({"ip":"2001:db8::5"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().default_ipv6 == "2001:db8::5"); }},
      {"add-a appends",
       {{"/add-a", R"({"host":"a.example","addresses":["10.0.0.1"]})"},
        {"/add-a", R"({"host":"a.example.","addresses":["10.0.0.2","10.0.0.3"]})"}},
       [](ManagementFixture& f) {
         CHECK(f.zone.Snapshot().a.at("a.example.") == Strings{"10.0.0.1", "10.0.0.2", "10.0.0.3"});
       }},
      {"clear-a",
       {{"/add-a", R"({"host":"a.example","addresses":["10.0.0.1"]})"},
        {"/clear-a", R"({"host":"A.EXAMPLE"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().a.empty()); }},
      {"add-aaaa",
       {{"/add-aaaa", R"({"host":"a.example","addresses":["::2"]})"}},
       [](ManagementFixture& f) {
         CHECK(f.zone.Snapshot().aaaa.at("a.example.") == Strings{"::2"});
       }},
      {"clear-aaaa",
       {{"/add-aaaa", R"({"host":"a.example","addresses":["::2"]})"},
        {"/clear-aaaa", R"({"host":"a.example"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().aaaa.empty()); }},
      {"add-caa",
       {{"/add-caa", R"({"host":"c.example","policies":[)"
                     R"({"tag":"issue","value":"ca.example","flags":128},)"
                     R"({"tag":"iodef","value":"mailto:a@b"}]})"}},
       [](ManagementFixture& f) {
         const auto caa = f.zone.Snapshot().caa.at("c.example.");
         REQUIRE(caa.size() == 2);
         CHECK(caa[0].flags == 128);
         CHECK(caa[0].tag == "issue");
         CHECK(caa[0].value == "ca.example");
         CHECK(caa[1].flags == 0);
         CHECK(caa[1].tag == "iodef");
       }},
      {"clear-caa",
       {{"/add-caa", R"({"host":"c.example","policies":[{"tag":"issue","value":""}]})"},
        {"/clear-caa", R"({"host":"c.example"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().caa.empty()); }},
      {"set-cname",
       {{"/set-cname", R"({"host":"www.example","target":"Target.Example"})"}},
       [](ManagementFixture& f) {
         CHECK(f.zone.Snapshot().cname.at("www.example.") == "target.example.");
       }},
      {"clear-cname",
       {{"/set-cname", R"({"host":"www.example","target":"t.example"})"},
        {"/clear-cname", R"({"host":"www.example"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().cname.empty()); }},
      {"set-txt",
       {{"/set-txt", R"({"host":"_acme-challenge.example.com.","value":"abc"})"}},
       [](ManagementFixture& f) {
         CHECK(f.zone.Snapshot().txt.at("_acme-challenge.example.com.") == Strings{"abc"});
       }},
      {"clear-txt",
       {{"/set-txt", R"({"host":"t.example","value":"abc"})"},
        {"/clear-txt", R"({"host":"t.example"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().txt.empty()); }},
      {"set-servfail",
       {{"/set-servfail", R"({"host":"f.example"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().servfail.count("f.example.") == 1); }},
      {"clear-servfail",
       {{"/set-servfail", R"({"host":"f.example"})"},
        {"/clear-servfail", R"({"host":"f.example"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().servfail.empty()); }},
      {"set-nxdomain",
       {{"/set-nxdomain", R"({"host":"n.example"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().nxdomain.count("n.example.") == 1); }},
      {"clear-nxdomain",
       {{"/set-nxdomain", R"({"host":"n.example"})"},
        {"/clear-nxdomain", R"({"host":"n.example"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().nxdomain.empty()); }},
      {"set-ttl",
       {{"/set-ttl", R"({"host":"t.example","ttl":300})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().ttl.at("t.example.") == 300); }},
      {"clear-ttl",
       {{"/set-ttl", R"({"host":"t.example","ttl":300})"},
        {"/clear-ttl", R"({"host":"t.example"})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().ttl.empty()); }},
      {"set-default-ttl",
       {{"/set-default-ttl", R"({"ttl":2147483647})"}},
       [](ManagementFixture& f) { CHECK(f.zone.Snapshot().default_ttl == 2147483647u); }},
      {"add-http01",
       {{"/add-http01", R"({"token":"tok","content":"tok.ka"})"}},
       [](ManagementFixture& f) { CHECK(f.challenges.Http01("tok") == "tok.ka"); }},
      {"del-http01",
       {{"/add-http01", R"({"token":"tok","content":"tok.ka"})"},
        {"/del-http01", R"({"token":"tok"})"}},
       [](ManagementFixture& f) { CHECK_FALSE(f.challenges.Http01("tok").has_value()); }},
      {"add-redirect",
       {{"/add-redirect", R"({"path":"/r","targetURL":"https://example.com/r"})"}},
       [](ManagementFixture& f) { CHECK(f.challenges.Redirect("/r") == "https://example.com/r"); }},
      {"del-redirect",
       {{"/add-redirect", R"({"path":"/r","targetURL":"https://x/"})"},
        {"/del-redirect", R"({"path":"/r"})"}},
       [](ManagementFixture& f) { CHECK_FALSE(f.challenges.Redirect("/r").has_value()); }},
      {"add-tlsalpn01",
       {{"/add-tlsalpn01", R"({"host":"Example.com","content":"ka"})"}},
       [](ManagementFixture& f) { CHECK(f.challenges.TlsAlpn01("example.com") == "ka"); }},
      {"del-tlsalpn01",
       {{"/add-tlsalpn01", R"({"host":"example.com","content":"ka"})"},
        {"/del-tlsalpn01", R"({"host":"example.com"})"}},
       [](ManagementFixture& f) {
         CHECK_FALSE(f.challenges.TlsAlpn01("example.com").has_value());
       }},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      ManagementFixture f;
      for (const auto& [target, body] : tc.posts) {
        const http::Response response = f.Post(target, body);
        INFO(target << " " << body << " -> " << response.body);
        REQUIRE(response.status == 200);
        CHECK(response.body.empty());
      }
      tc.check(f);
    }
  }
}

TEST_CASE("ManagementApi set-txt is served by the zone", "[api][management]") {
  ManagementFixture f;
  REQUIRE(f.Post("/set-txt", R"({"host":"_acme-challenge.example.com","value":"token-digest"})")
              .status == 200);
  const auto reply =
      f.zone.Answer(support::MakeQuery("_acme-challenge.EXAMPLE.com.", wire::rrtype::kTxt));
  REQUIRE(reply.answers.size() == 1);
  CHECK(reply.answers[0].data == wire::Rdata(wire::TxtData{{"token-digest"}}));
}

TEST_CASE("ManagementApi matches body keys case-insensitively", "[api][management]") {
  ManagementFixture f;
  REQUIRE(f.Post("/set-txt", R"({"HOST":"k.example","Value":"v1"})").status == 200);
  CHECK(f.zone.Snapshot().txt.at("k.example.") == Strings{"v1"});
  REQUIRE(f.Post("/add-redirect", R"({"Path":"/p","TargetURL":"https://t/"})").status == 200);
  CHECK(f.challenges.Redirect("/p") == "https://t/");
}

TEST_CASE("ManagementApi prefers an exact key over a case-folded one", "[api][management]") {
  ManagementFixture f;
  REQUIRE(f.Post("/set-txt", R"({"HOST":"folded.example","host":"exact.example","value":"v"})")
              .status == 200);
  const ZoneData data = f.zone.Snapshot();
  CHECK(data.txt.count("exact.example.") == 1);
  CHECK(data.txt.count("folded.example.") == 0);
}

TEST_CASE("ManagementApi treats a host with and without trailing dot alike", "[api][management]") {
  ManagementFixture f;
  REQUIRE(f.Post("/set-txt", R"({"host":"d.example.","value":"one"})").status == 200);
  REQUIRE(f.Post("/set-txt", R"({"host":"D.example","value":"two"})").status == 200);
  const ZoneData data = f.zone.Snapshot();
  REQUIRE(data.txt.size() == 1);
  CHECK(data.txt.at("d.example.") == Strings{"one", "two"});
}

struct BadCase {
  const char* name;
  const char* target;
  const char* body;
  int status;
  const char* detail;
};

TEST_CASE("ManagementApi refuses bad requests with a one-line message", "[api][management]") {
  const BadCase cases[] = {
      {"empty body", "/set-txt", "", 400, "expected JSON POST body, was empty\n"},
      {"invalid JSON", "/set-txt", "{\"host\":", 400, "not valid JSON"},
      {"JSON array", "/set-txt", "[1,2]", 400, "must be a JSON object"},
      {"JSON string", "/add-a", "\"host\"", 400, "must be a JSON object"},
      {"missing host", "/set-txt", R"({"value":"v"})", 400, "host parameter must not be empty"},
      {"host not a string", "/set-txt", R"({"host":5,"value":"v"})", 400, "must be a string"},
      {"host not a DNS name", "/set-txt", R"({"host":"a..b","value":"v"})", 400,
       "not a valid DNS name"},
      {"missing TXT value", "/set-txt", R"({"host":"a.example"})", 400,
       "value parameter must not be empty"},
      {"add-a with a bad IP", "/add-a", R"({"host":"a","addresses":["10.0.0.256"]})", 400, "IPv4"},
      {"add-a with an IPv6", "/add-a", R"({"host":"a","addresses":["::1"]})", 400, "IPv4"},
      {"add-a with a number", "/add-a", R"({"host":"a","addresses":[10]})", 400, "IPv4"},
      {"add-a without addresses", "/add-a", R"({"host":"a","addresses":[]})", 400,
       "non-empty list"},
      {"add-aaaa with an IPv4", "/add-aaaa", R"({"host":"a","addresses":["10.0.0.1"]})", 400,
       "IPv6"},
      {"default IPv4 that is IPv6", "/set-default-ipv4", R"({"ip":"::1"})", 400,
       "not an IPv4 address"},
      {"default IPv6 that is junk", "/set-default-ipv6", R"({"ip":"nope"})", 400,
       "not an IPv6 address"},
      {"negative ttl", "/set-ttl", R"({"host":"a","ttl":-1})", 400, "ttl must be an integer"},
      {"ttl as a string", "/set-ttl", R"({"host":"a","ttl":"60"})", 400, "ttl must be an integer"},
      {"fractional ttl", "/set-default-ttl", R"({"ttl":1.5})", 400, "ttl must be an integer"},
      {"ttl over 2^31-1", "/set-default-ttl", R"({"ttl":2147483648})", 400,
       "ttl must be an integer"},
      {"missing ttl", "/set-default-ttl", R"({})", 400, "ttl must be an integer"},
      {"CAA without policies", "/add-caa", R"({"host":"a"})", 400, "policies must be"},
      {"CAA policy without tag", "/add-caa", R"({"host":"a","policies":[{"value":"x"}]})", 400,
       "needs a tag"},
      {"CAA flags over 255", "/add-caa",
       R"({"host":"a","policies":[{"tag":"issue","value":"x","flags":256}]})", 400,
       "flags must be"},
      {"CNAME without target", "/set-cname", R"({"host":"a"})", 400,
       "target parameter must not be empty"},
      {"CNAME to a bad name", "/set-cname", R"({"host":"a","target":"b..c"})", 400,
       "not a valid DNS name"},
      {"http01 without token", "/add-http01", R"({"content":"c"})", 400,
       "token parameter must not be empty"},
      {"http01 without content", "/add-http01", R"({"token":"t"})", 400,
       "content parameter must not be empty"},
      {"redirect without URL", "/add-redirect", R"({"path":"/p"})", 400, "targetURL parameter"},
      {"tlsalpn01 without host", "/add-tlsalpn01", R"({"content":"c"})", 400, "host parameter"},
      {"unknown history type", "/clear-request-history", R"({"host":"a","type":"foo"})", 400,
       "\"foo\" event type unknown"},
      {"unknown path", "/set-everything", R"({"host":"a"})", 404, "404 page not found"},
      {"unknown path with empty body", "/nope", "", 404, "404 page not found"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      ManagementFixture f;
      const http::Response response = f.Post(tc.target, tc.body);
      CHECK(response.status == tc.status);
      CHECK_THAT(response.body, Catch::Contains(tc.detail));
      CHECK(response.body.back() == '\n');
      CHECK(response.body.find('\n') == response.body.size() - 1);
      // A refused request changes nothing.
      const ZoneData data = f.zone.Snapshot();
      CHECK((data.txt.empty() && data.a.empty() && data.caa.empty() && data.ttl.empty()));
      CHECK(data.default_ttl == 0);
    }
  }
}

TEST_CASE("ManagementApi routes on the path without its query string", "[api][management]") {
  ManagementFixture f;
  CHECK(f.Post("/set-txt?x=1", R"({"host":"q.example","value":"v"})").status == 200);
  CHECK(f.zone.Snapshot().txt.count("q.example.") == 1);
}

struct DisabledCase {
  const char* name;
  mockdns::api::EnabledServers enabled;
  const char* target;
  const char* body;
};

TEST_CASE("ManagementApi hides the endpoints of disabled servers", "[api][management]") {
  const DisabledCase cases[] = {
      {"DNS off", {false, true, true}, "/set-txt", R"({"host":"a","value":"v"})"},
      {"DNS off default IP", {false, true, true}, "/set-default-ipv4", R"({"ip":"10.0.0.1"})"},
      {"HTTP off", {true, false, true}, "/add-http01", R"({"token":"t","content":"c"})"},
      {"HTTP off redirect",
       {true, false, true},
       "/add-redirect",
       R"({"path":"/p","targetURL":"u"})"},
      {"TLS-ALPN off", {true, true, false}, "/add-tlsalpn01", R"({"host":"a","content":"c"})"},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.name) {
      ManagementFixture f(tc.enabled);
      const http::Response response = f.Post(tc.target, tc.body);
      CHECK(response.status == 404);
      CHECK(f.zone.Snapshot().txt.empty());
      CHECK_FALSE(f.challenges.Http01("t").has_value());
      // The history endpoints stay, whatever runs.
      const http::Response history = f.Post("/dns-request-history", R"({"host":"a"})");
      CHECK(history.status == 200);
      CHECK(history.body == "[]");
      CHECK(f.Post("/clear-request-history", R"({"host":"a","type":"dns"})").status == 200);
    }
  }
}

TEST_CASE("ManagementApi logs each successful call at debug level", "[api][management]") {
  ManagementFixture f;
  REQUIRE(f.Post("/set-servfail", R"({"host":"logged.example"})").status == 200);
  CHECK_THAT(f.log_text.str(), Catch::Contains("/set-servfail"));
}

}  // namespace

}  // namespace management_api_test
