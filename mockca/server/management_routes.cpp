#include "mockca/server/management_routes.hpp"

namespace mockca::server {

http::Response ServeManagement(const http::Request& request,
                               const ca::CertificateAuthority& authority) {
  const std::string path = request.Path();
  std::string pem;
  if (path == "/roots/0") {
    pem = authority.RootPem();
  } else if (path == "/intermediates/0") {
    pem = authority.IntermediatePem();
  } else {
    return http::Response::Text(404, "");
  }
  http::Response response;
  response.status = 200;
  response.body = std::move(pem);
  response.With("Content-Type", "application/pem-certificate-chain; charset=utf-8");
  return response;
}

}  // namespace mockca::server
