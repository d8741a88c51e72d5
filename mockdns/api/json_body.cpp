#include "mockdns/api/json_body.hpp"

#include "common/ascii.hpp"
#include "common/json_parse.hpp"

namespace mockdns::api {

common::Result<JsonBody, std::string> JsonBody::Parse(std::string_view body) {
  if (body.empty()) {
    return common::MakeErr(std::string("expected JSON POST body, was empty"));
  }
  auto parsed = common::ParseJson(body);
  if (!parsed) {
    return common::MakeErr("request body " + parsed.error());
  }
  if (!parsed->is_object()) {
    return common::MakeErr(std::string("request body must be a JSON object"));
  }
  return JsonBody(std::move(parsed).value());
}

const nlohmann::json* JsonBody::Field(std::string_view key) const {
  const nlohmann::json* folded = nullptr;
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    const std::string& name = it.key();
    if (name == key) {
      return it->is_null() ? nullptr : &*it;
    }
    if (folded == nullptr && common::EqualsIgnoreCase(name, key)) {
      folded = &*it;
    }
  }
  return folded != nullptr && !folded->is_null() ? folded : nullptr;
}

common::Result<std::string, std::string> JsonBody::String(std::string_view key) const {
  const nlohmann::json* field = Field(key);
  if (field == nullptr) {
    return std::string();
  }
  if (!field->is_string()) {
    return common::MakeErr("field \"" + std::string(key) + "\" must be a string");
  }
  return field->get<std::string>();
}

}  // namespace mockdns::api
