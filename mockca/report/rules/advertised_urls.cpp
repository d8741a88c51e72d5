#include "mockca/report/rules/advertised_urls.hpp"

#include "common/json.hpp"
#include "mockca/report/exchange_builder.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

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
  const std::string origin = OriginOf(exchange.url);
  for (const std::string& location : HeaderValues(exchange.response_headers, "Location")) {
    urls_.insert(WithoutQuery(AbsoluteUrl(location, origin)));
  }
  for (const LinkValue& link : LinkValues(exchange.response_headers)) {
    urls_.insert(WithoutQuery(AbsoluteUrl(link.target, origin)));
  }
  CollectUrls(ResponseJson(exchange), urls_);
}

bool AdvertisedUrls::Has(const std::string& url) const {
  return urls_.count(WithoutQuery(url)) != 0;
}

}  // namespace mockca::report::rules
