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

void ApplyAbsoluteFormTarget(Request& request) {
  const std::string_view target = request.target;
  std::size_t authority_start = 0;
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (target.size() >= scheme.size() &&
        common::EqualsIgnoreCase(target.substr(0, scheme.size()), scheme)) {
      authority_start = scheme.size();
    }
  }
  if (authority_start == 0) {
    return;
  }
  const std::size_t path_start = target.find_first_of("/?", authority_start);
  const std::string authority(target.substr(authority_start, path_start - authority_start));
  std::string path(path_start == std::string_view::npos ? "" : target.substr(path_start));
  if (path.empty() || path.front() == '?') {
    path = "/" + path;
  }
  if (!request.host.empty()) {
    request.host = authority;
  }
  request.target = std::move(path);
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
