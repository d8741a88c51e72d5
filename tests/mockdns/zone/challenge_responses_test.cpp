#include "mockdns/zone/challenge_responses.hpp"

#include <catch2/catch.hpp>

namespace challenge_responses_test {

namespace {

using mockdns::zone::ChallengeResponses;

TEST_CASE("ChallengeResponses stores, replaces and deletes http-01 tokens", "[zone][challenges]") {
  ChallengeResponses responses;
  CHECK_FALSE(responses.Http01("tok").has_value());

  responses.AddHttp01("tok", "tok.thumbprint");
  CHECK(responses.Http01("tok") == "tok.thumbprint");
  responses.AddHttp01("tok", "replaced");
  CHECK(responses.Http01("tok") == "replaced");
  // Tokens are case-sensitive (base64url).
  CHECK_FALSE(responses.Http01("TOK").has_value());

  responses.DeleteHttp01("tok");
  CHECK_FALSE(responses.Http01("tok").has_value());
  responses.DeleteHttp01("never-added");  // no effect
}

TEST_CASE("ChallengeResponses stores and deletes redirects by exact path", "[zone][challenges]") {
  ChallengeResponses responses;
  responses.AddRedirect("/.well-known/acme-challenge/x", "https://example.com/x");
  CHECK(responses.Redirect("/.well-known/acme-challenge/x") == "https://example.com/x");
  CHECK_FALSE(responses.Redirect("/.well-known/acme-challenge/").has_value());
  responses.DeleteRedirect("/.well-known/acme-challenge/x");
  CHECK_FALSE(responses.Redirect("/.well-known/acme-challenge/x").has_value());
}

TEST_CASE("ChallengeResponses matches tls-alpn-01 hosts case-insensitively", "[zone][challenges]") {
  ChallengeResponses responses;
  responses.AddTlsAlpn01("Example.COM.", "ka");
  CHECK(responses.TlsAlpn01("example.com") == "ka");
  CHECK(responses.TlsAlpn01("EXAMPLE.com.") == "ka");
  CHECK_FALSE(responses.TlsAlpn01("www.example.com").has_value());

  responses.AddTlsAlpn01("10.0.0.1", "ip-ka");
  CHECK(responses.TlsAlpn01("10.0.0.1") == "ip-ka");

  responses.DeleteTlsAlpn01("example.COM");
  CHECK_FALSE(responses.TlsAlpn01("example.com").has_value());
  CHECK(responses.TlsAlpn01("10.0.0.1") == "ip-ka");
}

TEST_CASE("ChallengeResponses keeps the three maps apart", "[zone][challenges]") {
  ChallengeResponses responses;
  responses.AddHttp01("shared", "http");
  responses.AddRedirect("shared", "redirect");
  responses.AddTlsAlpn01("shared", "tls");
  CHECK(responses.Http01("shared") == "http");
  CHECK(responses.Redirect("shared") == "redirect");
  CHECK(responses.TlsAlpn01("shared") == "tls");
}

}  // namespace

}  // namespace challenge_responses_test
