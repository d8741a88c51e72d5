// ARI certIDs (RFC 9773 §4.1; S-ARI-02, C-ARI-01).

#include "mockca/wfe/ari_cert_id.hpp"

#include <string>

#include <catch2/catch.hpp>

namespace ari_cert_id_test {

namespace {

using mockca::acme::ProblemType;
using mockca::wfe::CertId;
using mockca::wfe::FormatCertId;
using mockca::wfe::ParseCertId;
using mockca::wfe::SerialHex;

TEST_CASE("ParseCertId reads RFC 9773's example and FormatCertId writes it back", "[wfe][ari]") {
  // RFC 9773 §4.1: AKI 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4, serial
  // 0x0087654321 (the 0x00 kept because 0x87 has its top bit set).
  const std::string text = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";
  auto id = ParseCertId(text);
  REQUIRE(id.ok());
  CHECK(id->key_id == std::string("\x69\x88\x5B\x6B\x87\x46\x40\x41\xE1\xB3\x7B\x84\x7B\xA0\xAE"
                                  "\x2C\xDE\x01\xC8\xD4"));
  CHECK(id->serial == std::string("\x00\x87\x65\x43\x21", 5));
  CHECK(SerialHex(*id) == "0087654321");
  CHECK(FormatCertId(*id) == text);
  CHECK(ParseCertId("AQ.AA").ok());  // serial 0 is one 0x00 octet
}

struct BadCertId {
  const char* name;
  std::string text;
  const char* detail;
};

TEST_CASE("ParseCertId refuses malformed certIDs with 400 malformed (S-ARI-02)", "[wfe][ari]") {
  const BadCertId cases[] = {
      {"no dot", "aYhba4dGQEHhs3uEe6CuLN4ByNQ", "certID must be"},
      {"two dots", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE.AQ", "certID must be"},
      {"empty key id", ".AIdlQyE", "empty"},
      {"empty serial", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.", "empty"},
      {"padding", "aYhba4dGQEHhs3uEe6CuLN4ByNQ=.AIdlQyE", "keyIdentifier"},
      {"standard base64", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AId+QyE", "serial"},
      // Cert Warden's bug (conformance.md Part D): the DER sign byte dropped.
      {"sign byte dropped", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.h2VDIQ", "0x00"},
      {"redundant zero", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AAE", "leading 0x00"},
  };
  for (const BadCertId& c : cases) {
    DYNAMIC_SECTION(c.name) {
      auto id = ParseCertId(c.text);
      REQUIRE_FALSE(id.ok());
      CHECK(id.error().type == ProblemType::kMalformed);
      CHECK(id.error().status == 400);
      CHECK_THAT(id.error().detail, Catch::Contains(c.detail));
    }
  }
}

}  // namespace

}  // namespace ari_cert_id_test
