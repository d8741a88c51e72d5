#include "common/result.hpp"

#include <memory>
#include <string>

#include <catch2/catch.hpp>

namespace result_test {

namespace {

using common::MakeErr;
using common::Result;
using common::Status;

Result<int, std::string> Half(int n) {
  if (n % 2 != 0) {
    return MakeErr("odd: " + std::to_string(n));
  }
  return n / 2;
}

TEST_CASE("Result holds a value or an error", "[common][result]") {
  const auto ok = Half(8);
  REQUIRE(ok.ok());
  CHECK(static_cast<bool>(ok));
  CHECK(ok.value() == 4);
  CHECK(*ok == 4);

  const auto bad = Half(3);
  REQUIRE_FALSE(bad.ok());
  CHECK_FALSE(static_cast<bool>(bad));
  CHECK(bad.error() == "odd: 3");
}

TEST_CASE("Result with the same value and error type needs MakeErr for errors",
          "[common][result]") {
  Result<std::string, std::string> value = std::string("value");
  REQUIRE(value.ok());
  CHECK(value.value() == "value");
  CHECK(value->size() == 5);

  Result<std::string, std::string> error = MakeErr("broken");
  REQUIRE_FALSE(error.ok());
  CHECK(error.error() == "broken");

  Result<std::string, std::string> from_string = MakeErr(std::string("also broken"));
  REQUIRE_FALSE(from_string.ok());
  CHECK(from_string.error() == "also broken");
}

TEST_CASE("Result builds an error implicitly when the types differ", "[common][result]") {
  Result<int, std::string> error = std::string("nope");
  REQUIRE_FALSE(error.ok());
  CHECK(error.error() == "nope");
}

TEST_CASE("Result moves a move-only value out", "[common][result]") {
  Result<std::unique_ptr<int>, std::string> r = std::make_unique<int>(5);
  REQUIRE(r.ok());
  std::unique_ptr<int> owned = std::move(r).value();
  REQUIRE(owned != nullptr);
  CHECK(*owned == 5);
}

TEST_CASE("Status is ok by default and carries an error otherwise", "[common][result]") {
  const Status<std::string> fine;
  CHECK(fine.ok());
  CHECK(static_cast<bool>(fine));

  const Status<std::string> failed = std::string("disk full");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error() == "disk full");
}

}  // namespace

}  // namespace result_test
