#include "mockdns/wire/message.hpp"

#include <string>

#include <catch2/catch.hpp>

namespace message_test {

namespace {

namespace wire = mockdns::wire;

TEST_CASE("TxtFromValue splits a value into 255 octet character-strings", "[wire][txt]") {
  const std::string value = std::string(255, 'a') + std::string(255, 'b') + std::string(90, 'c');
  REQUIRE(value.size() == 600);
  const wire::TxtData txt = wire::TxtFromValue(value);
  REQUIRE(txt.strings.size() == 3);
  CHECK(txt.strings[0] == std::string(255, 'a'));
  CHECK(txt.strings[1] == std::string(255, 'b'));
  CHECK(txt.strings[2] == std::string(90, 'c'));
}

TEST_CASE("TxtFromValue keeps short and boundary values whole", "[wire][txt]") {
  CHECK(wire::TxtFromValue("hello").strings == std::vector<std::string>{"hello"});
  CHECK(wire::TxtFromValue(std::string(255, 'x')).strings.size() == 1);
  CHECK(wire::TxtFromValue(std::string(256, 'x')).strings.size() == 2);
}

TEST_CASE("TxtFromValue of an empty value is one empty string", "[wire][txt]") {
  CHECK(wire::TxtFromValue("").strings == std::vector<std::string>{""});
}

TEST_CASE("FindOpt finds the OPT record among the additionals", "[wire][edns]") {
  wire::Message message;
  CHECK(wire::FindOpt(message) == nullptr);

  message.additionals.push_back(
      {"ns.example.", wire::rrtype::kA, wire::kClassIn, 0, wire::AData{}});
  CHECK(wire::FindOpt(message) == nullptr);

  message.additionals.push_back({".", wire::rrtype::kOpt, 1232, 0, wire::RawData{}});
  const wire::ResourceRecord* opt = wire::FindOpt(message);
  REQUIRE(opt != nullptr);
  CHECK(opt->klass == 1232);
}

TEST_CASE("FindOpt ignores OPT outside the additional section", "[wire][edns]") {
  wire::Message message;
  message.answers.push_back({".", wire::rrtype::kOpt, 1232, 0, wire::RawData{}});
  CHECK(wire::FindOpt(message) == nullptr);
}

}  // namespace

}  // namespace message_test
