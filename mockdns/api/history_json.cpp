#include "mockdns/api/history_json.hpp"

#include "common/json.hpp"

namespace mockdns::api {
namespace {

using nlohmann::json;

std::string Render(const json& list) {
  // Client-sent names and headers may hold invalid UTF-8; replace rather than throw.
  return list.dump(3, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string HttpHistoryJson(const std::vector<zone::HttpRequestEvent>& events) {
  json list = json::array();
  for (const auto& e : events) {
    list.push_back({{"URL", e.url},
                    {"Host", e.host},
                    {"HTTPS", e.https},
                    {"ServerName", e.server_name},
                    {"UserAgent", e.user_agent}});
  }
  return Render(list);
}

std::string DnsHistoryJson(const std::vector<zone::DnsRequestEvent>& events) {
  json list = json::array();
  for (const auto& e : events) {
    list.push_back(
        {{"Question",
          {{"Name", e.question.name}, {"Qtype", e.question.type}, {"Qclass", e.question.klass}}},
         {"UserAgent", e.user_agent}});
  }
  return Render(list);
}

std::string TlsAlpnHistoryJson(const std::vector<zone::TlsAlpnRequestEvent>& events) {
  json list = json::array();
  for (const auto& e : events) {
    list.push_back({{"ServerName", e.server_name}, {"SupportedProtos", e.supported_protos}});
  }
  return Render(list);
}

}  // namespace mockdns::api
