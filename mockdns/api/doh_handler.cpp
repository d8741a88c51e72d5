#include "mockdns/api/doh_handler.hpp"

#include "mockdns/api/dns_exchange.hpp"

namespace mockdns::api {

http::Response RespondDoh(const http::Request& request, const zone::Zone& zone,
                          zone::RequestHistory& history, faults::FaultEngine* engine) {
  if (request.method != "POST") {
    return http::Response::Text(405, "DNS over HTTPS takes POST only\n").With("Allow", "POST");
  }
  const std::string type = request.Header("Content-Type");
  if (type.rfind("application/dns-message", 0) != 0) {
    return http::Response::Text(415, "Content-Type must be application/dns-message\n");
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(request.body.data());
  const DnsReply reply = ExchangeDns({bytes, request.body.size()}, DnsTransport::kHttps,
                                     request.Header("User-Agent"), zone, history, engine);
  http::Response response;
  if (reply.timeout) {
    response.delivery.mode = http::Delivery::Mode::kClose;  // the resolver gets no answer
  } else if (reply.bytes.empty()) {
    return http::Response::Text(400, "not a DNS query\n");
  } else {
    response = http::Response{200,
                              {{"Content-Type", "application/dns-message"}},
                              std::string(reply.bytes.begin(), reply.bytes.end())};
  }
  response.delivery.delay = reply.delay;  // the server waits on a timer, never blocking
  return response;
}

}  // namespace mockdns::api
