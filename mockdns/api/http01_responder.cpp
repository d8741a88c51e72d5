#include "mockdns/api/http01_responder.hpp"

#include <string_view>

namespace mockdns::api {

http::Response RespondHttp01(const http::Request& request,
                             const zone::ChallengeResponses& responses,
                             zone::RequestHistory& history) {
  history.Add(zone::HttpRequestEvent{request.target, request.host, request.https,
                                     request.server_name, request.Header("User-Agent")});
  const std::string path = request.Path();
  if (!request.https) {
    // challtestsrv: redirects are plain-HTTP only, so a redirect to HTTPS cannot loop.
    if (auto target = responses.Redirect(path)) {
      return http::Response{302, {{"Location", *target}}, {}};
    }
  }
  const std::string_view prefix = kAcmeChallengePrefix;
  if (path.compare(0, prefix.size(), prefix) != 0) {
    return http::Response::Text(404, "404 page not found\n");
  }
  const auto content = responses.Http01(path.substr(prefix.size()));
  return http::Response{200, {{"Content-Type", "text/plain; charset=utf-8"}}, content.value_or("")};
}

}  // namespace mockdns::api
