#pragma once

#include <set>
#include <string>

#include "mockca/report/records.hpp"

namespace mockca::report::rules {

// The URLs mockca has given a client so far (C-DIR-01's "set of issued URLs"): every Location and
// Link target of its responses (made absolute against the request's origin) and every string in
// a JSON response body that starts with http:// or https:// (directory members, order
// authorizations and finalize, challenge URLs, certificate, ...). Feed exchanges in order with
// Learn; Has asks about a request URL (its query string ignored).
class AdvertisedUrls {
 public:
  void Learn(const Exchange& exchange);
  bool Has(const std::string& url) const;

 private:
  std::set<std::string> urls_;
};

// The URL without its query string.
std::string WithoutQuery(const std::string& url);

}  // namespace mockca::report::rules
