#include "mockca/report/rules/advertised_urls.hpp"

#include <nlohmann/json.hpp>

#include "mockca/report/exchange_builder.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// "https://host:port" of an absolute URL.
std::string OriginOf(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) {
    return {};
  }
  return url.substr(0, url.find('/', scheme + 3));
}

std::string Absolute(const std::string& target, const std::string& request_url) {
  return !target.empty() && target.front() == '/' ? OriginOf(request_url) + target : target;
}

void CollectUrls(const nlohmann::json& value, std::set<std::string>& urls) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0) {
      urls.insert(WithoutQuery(text));
    }
  } else if (value.is_structured()) {
    for (const auto& item : value) {
      CollectUrls(item, urls);
    }
  }
}

}  // namespace

std::string WithoutQuery(const std::string& url) {
  return url.substr(0, url.find('?'));
}

void AdvertisedUrls::Learn(const Exchange& exchange) {
  for (const std::string& location : HeaderValues(exchange.response_headers, "Location")) {
    urls_.insert(WithoutQuery(Absolute(location, exchange.url)));
  }
  for (const std::string& link : HeaderValues(exchange.response_headers, "Link")) {
    const std::size_t open = link.find('<');
    const std::size_t close = link.find('>', open);
    if (open != std::string::npos && close != std::string::npos) {
      urls_.insert(WithoutQuery(Absolute(link.substr(open + 1, close - open - 1), exchange.url)));
    }
  }
  CollectUrls(ResponseJson(exchange), urls_);
}

bool AdvertisedUrls::Has(const std::string& url) const {
  return urls_.count(WithoutQuery(url)) != 0;
}

}  // namespace mockca::report::rules
