#include "http/message.hpp"

#include "common/ascii.hpp"

namespace http {

std::string Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (common::EqualsIgnoreCase(key, name)) {
      return value;
    }
  }
  return {};
}

std::string Request::Path() const {
  return target.substr(0, target.find('?'));
}

Response Response::Text(int status, std::string body) {
  Response response{status, {}, std::move(body)};
  if (!response.body.empty()) {
    response.With("Content-Type", "text/plain; charset=utf-8");
  }
  return response;
}

Response Response::Json(int status, std::string body) {
  Response response{status, {}, std::move(body)};
  response.With("Content-Type", "application/json; charset=utf-8");
  return response;
}

}  // namespace http
