#include "mockdns/api/doh_handler.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mockdns/wire/parse.hpp"
#include "tests/support/dns_query.hpp"

namespace doh_handler_test {

namespace {

namespace wire = mockdns::wire;
using mockdns::api::RespondDoh;

http::Request DohPost(std::string body, std::string content_type = "application/dns-message") {
  http::Request request;
  request.method = "POST";
  request.target = "/dns-query";
  request.host = "127.0.0.1:8443";
  request.https = true;
  request.headers = {{"Content-Type", std::move(content_type)}, {"User-Agent", "doh-test/1"}};
  request.body = std::move(body);
  return request;
}

std::string QueryBody(const std::string& name, std::uint16_t type, std::uint16_t id) {
  const auto bytes = support::ToBytes(support::MakeQuery(name, type, id));
  return std::string(bytes.begin(), bytes.end());
}

wire::Message ParseBody(const http::Response& response) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(response.body.data());
  auto parsed = wire::Parse({data, response.body.size()});
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

struct Doh {
  mockdns::zone::Zone zone;
  mockdns::zone::RequestHistory history;
};

TEST_CASE("RespondDoh refuses methods other than POST", "[api][doh]") {
  Doh s;
  for (const char* method : {"GET", "PUT", "HEAD"}) {
    DYNAMIC_SECTION(method) {
      http::Request request = DohPost(QueryBody("example.com.", wire::rrtype::kA, 1));
      request.method = method;
      const http::Response response = RespondDoh(request, s.zone, s.history);
      CHECK(response.status == 405);
      CHECK(s.history.Dns("example.com").empty());
    }
  }
}

TEST_CASE("RespondDoh refuses another content type", "[api][doh]") {
  Doh s;
  for (const char* type : {"application/json", "text/plain", ""}) {
    DYNAMIC_SECTION("type " << type) {
      const http::Response response = RespondDoh(
          DohPost(QueryBody("example.com.", wire::rrtype::kA, 1), type), s.zone, s.history);
      CHECK(response.status == 415);
    }
  }
}

TEST_CASE("RespondDoh answers a query with a DNS message", "[api][doh]") {
  Doh s;
  s.zone.Update(
      [](mockdns::zone::ZoneData& d) { d.txt["_acme-challenge.example.com."] = {"digest"}; });
  const http::Response response =
      RespondDoh(DohPost(QueryBody("_acme-challenge.example.com.", wire::rrtype::kTxt, 4321)),
                 s.zone, s.history);
  CHECK(response.status == 200);
  CHECK(response.headers == std::vector<std::pair<std::string, std::string>>{
                                {"Content-Type", "application/dns-message"}});
  const wire::Message reply = ParseBody(response);
  CHECK(reply.header.id == 4321);
  REQUIRE(reply.answers.size() == 1);
  CHECK(reply.answers[0].data == wire::Rdata(wire::TxtData{{"digest"}}));
}

TEST_CASE("RespondDoh accepts a content type with parameters", "[api][doh]") {
  Doh s;
  const http::Response response = RespondDoh(DohPost(QueryBody("example.com.", wire::rrtype::kA, 2),
                                                     "application/dns-message; charset=binary"),
                                             s.zone, s.history);
  CHECK(response.status == 200);
}

TEST_CASE("RespondDoh records the question with the User-Agent", "[api][doh]") {
  Doh s;
  (void)RespondDoh(DohPost(QueryBody("Seen.example.", wire::rrtype::kAaaa, 3)), s.zone, s.history);
  const auto events = s.history.Dns("seen.example");
  REQUIRE(events.size() == 1);
  CHECK(events[0].question.type == wire::rrtype::kAaaa);
  CHECK(events[0].user_agent == "doh-test/1");
}

TEST_CASE("RespondDoh answers FORMERR to a garbled query with a readable ID", "[api][doh]") {
  Doh s;
  const http::Response response =
      RespondDoh(DohPost(std::string("\x12\x34\xff", 3)), s.zone, s.history);
  CHECK(response.status == 200);
  const wire::Message reply = ParseBody(response);
  CHECK(reply.header.id == 0x1234);
  CHECK(reply.header.rcode == 1);
}

TEST_CASE("RespondDoh answers 400 when no DNS reply is possible", "[api][doh]") {
  Doh s;
  SECTION("empty body") {
    CHECK(RespondDoh(DohPost(""), s.zone, s.history).status == 400);
  }
  SECTION("one octet") {
    CHECK(RespondDoh(DohPost("x"), s.zone, s.history).status == 400);
  }
  SECTION("a DNS response instead of a query") {
    wire::Message response = support::MakeQuery("example.com.", wire::rrtype::kA);
    response.header.qr = true;
    const auto bytes = support::ToBytes(response);
    CHECK(RespondDoh(DohPost(std::string(bytes.begin(), bytes.end())), s.zone, s.history).status ==
          400);
  }
}

}  // namespace

}  // namespace doh_handler_test
