#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "common/result.hpp"

namespace mockdns::api {

// A management request body: a JSON object whose keys match case-insensitively, as Go's
// encoding/json matches challtestsrv's struct fields (an exact match wins).
class JsonBody {
 public:
  // Errors: "expected JSON POST body, was empty", a JSON syntax error, or a non-object.
  static common::Result<JsonBody, std::string> Parse(std::string_view body);

  // The field, or nullptr when absent or null.
  const nlohmann::json* Field(std::string_view key) const;
  // A string field; absent means "". Error text when the field is not a string.
  common::Result<std::string, std::string> String(std::string_view key) const;

 private:
  explicit JsonBody(nlohmann::json object) : object_(std::move(object)) {}
  nlohmann::json object_;
};

}  // namespace mockdns::api
