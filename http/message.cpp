#include "http/message.hpp"

#include <strings.h>

namespace http {

std::string Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
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
