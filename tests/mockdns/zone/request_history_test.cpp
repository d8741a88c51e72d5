#include "mockdns/zone/request_history.hpp"

#include <string>

#include <catch2/catch.hpp>

namespace request_history_test {

namespace {

namespace wire = mockdns::wire;
using mockdns::zone::DnsNameKey;
using mockdns::zone::DnsRequestEvent;
using mockdns::zone::EventKind;
using mockdns::zone::HttpHostKey;
using mockdns::zone::HttpRequestEvent;
using mockdns::zone::RequestHistory;
using mockdns::zone::TlsAlpnRequestEvent;

struct KeyCase {
  const char* input;
  const char* want;
};

TEST_CASE("HttpHostKey lowercases and strips the port", "[zone][history]") {
  const KeyCase cases[] = {
      {"example.com", "example.com"},      {"Example.COM:5002", "example.com"},
      {"10.0.0.1:80", "10.0.0.1"},         {"[::1]:5002", "::1"},
      {"[2001:DB8::1]:80", "2001:db8::1"}, {"[2001:db8::1]", "2001:db8::1"},
      {"2001:db8::1", "2001:db8::1"},      {"", ""},
  };
  for (const auto& tc : cases) {
    DYNAMIC_SECTION(tc.input) {
      CHECK(HttpHostKey(tc.input) == tc.want);
    }
  }
}

TEST_CASE("DnsNameKey lowercases and strips the trailing dot", "[zone][history]") {
  CHECK(DnsNameKey("Example.COM.") == "example.com");
  CHECK(DnsNameKey("example.com") == "example.com");
  CHECK(DnsNameKey("") == "");
}

TEST_CASE("RequestHistory files HTTP events under the Host without port", "[zone][history]") {
  RequestHistory history;
  history.Add(HttpRequestEvent{"/a", "Example.com:5002", false, "", "curl"});
  history.Add(HttpRequestEvent{"/b", "example.com", true, "example.com", "wget"});
  history.Add(HttpRequestEvent{"/c", "other.example", false, "", ""});

  const auto events = history.Http("EXAMPLE.com");
  REQUIRE(events.size() == 2);
  CHECK(events[0].url == "/a");
  CHECK(events[0].host == "Example.com:5002");
  CHECK(events[0].user_agent == "curl");
  CHECK(events[1].url == "/b");
  CHECK(events[1].https);
  CHECK(events[1].server_name == "example.com");
  CHECK(history.Http("nobody.example").empty());
}

TEST_CASE("RequestHistory files DNS events under the qname without dot", "[zone][history]") {
  RequestHistory history;
  history.Add(
      DnsRequestEvent{{"_acme-challenge.Example.com.", wire::rrtype::kTxt, wire::kClassIn}, ""});
  const auto events = history.Dns("_acme-challenge.example.com");
  REQUIRE(events.size() == 1);
  CHECK(events[0].question.name == "_acme-challenge.Example.com.");
  CHECK(events[0].question.type == wire::rrtype::kTxt);
  CHECK(history.Dns("_acme-challenge.example.com.").size() == 1);
}

TEST_CASE("RequestHistory files TLS-ALPN events under the SNI", "[zone][history]") {
  RequestHistory history;
  history.Add(TlsAlpnRequestEvent{"Example.com", {"acme-tls/1", "http/1.1"}});
  const auto events = history.TlsAlpn("example.COM");
  REQUIRE(events.size() == 1);
  CHECK(events[0].supported_protos == std::vector<std::string>{"acme-tls/1", "http/1.1"});
}

TEST_CASE("RequestHistory Clear empties one kind for one host", "[zone][history]") {
  RequestHistory history;
  for (const char* host : {"a.example", "b.example"}) {
    history.Add(HttpRequestEvent{"/", host, false, "", ""});
    history.Add(DnsRequestEvent{{std::string(host) + ".", wire::rrtype::kA, wire::kClassIn}, ""});
    history.Add(TlsAlpnRequestEvent{host, {}});
  }

  history.Clear("A.example", EventKind::kHttp);
  CHECK(history.Http("a.example").empty());
  CHECK(history.Dns("a.example").size() == 1);
  CHECK(history.TlsAlpn("a.example").size() == 1);
  CHECK(history.Http("b.example").size() == 1);

  history.Clear("a.example.", EventKind::kDns);
  CHECK(history.Dns("a.example").empty());
  CHECK(history.TlsAlpn("a.example").size() == 1);

  history.Clear("a.example", EventKind::kTlsAlpn);
  CHECK(history.TlsAlpn("a.example").empty());
  CHECK(history.TlsAlpn("b.example").size() == 1);

  history.Clear("unknown.example", EventKind::kHttp);  // no effect, no failure
  CHECK(history.Http("b.example").size() == 1);
}

TEST_CASE("RequestHistory keeps the newest events of a full list", "[zone][history]") {
  RequestHistory history;
  const std::size_t total = RequestHistory::kMaxEventsPerList + 5;
  for (std::size_t i = 0; i < total; ++i) {
    history.Add(HttpRequestEvent{"/" + std::to_string(i), "busy.example", false, "", ""});
    history.Add(
        DnsRequestEvent{{"busy.example.", wire::rrtype::kA, wire::kClassIn}, std::to_string(i)});
  }
  const auto http = history.Http("busy.example");
  REQUIRE(http.size() == RequestHistory::kMaxEventsPerList);
  CHECK(http.front().url == "/5");
  CHECK(http.back().url == "/" + std::to_string(total - 1));

  const auto dns = history.Dns("busy.example");
  REQUIRE(dns.size() == RequestHistory::kMaxEventsPerList);
  CHECK(dns.front().user_agent == "5");
  CHECK(history.dropped() == 0);
}

TEST_CASE("RequestHistory counts events for hosts past its limit", "[zone][history]") {
  RequestHistory history;
  for (std::size_t i = 0; i < RequestHistory::kMaxHosts; ++i) {
    history.Add(TlsAlpnRequestEvent{"h" + std::to_string(i), {}});
  }
  CHECK(history.dropped() == 0);
  history.Add(TlsAlpnRequestEvent{"one-too-many", {}});
  CHECK(history.dropped() == 1);
  CHECK(history.TlsAlpn("one-too-many").empty());
  // Known hosts still record.
  history.Add(TlsAlpnRequestEvent{"h0", {}});
  CHECK(history.TlsAlpn("h0").size() == 2);
  CHECK(history.dropped() == 1);
}

}  // namespace

}  // namespace request_history_test
