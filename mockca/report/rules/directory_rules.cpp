// B.2 Directory (C-DIR): every URL comes from the server.
#include <string>
#include <vector>

#include "mockca/report/rules/advertised_urls.hpp"
#include "mockca/report/rules/rule_groups.hpp"
#include "mockca/report/rules/rule_support.hpp"

namespace mockca::report::rules {
namespace {

// C-DIR-01 (§7.1): a request to a URL mockca never gave the client. The directory URL is the one
// the client is configured with, and a renewalInfo URL is built from the advertised prefix by
// design (RFC 9773 §4.1), so neither counts.
Finding JudgeAdvertisedUrls(const ClientRecord& client) {
  FindingBuilder result("C-DIR-01", "BP");
  AdvertisedUrls advertised;
  for (const Exchange& exchange : client.exchanges) {
    if (exchange.kind != "directory" && exchange.kind != "renewalInfo") {
      if (advertised.Has(exchange.url)) {
        result.Checked(exchange.id);
      } else {
        result.Note(Describe(exchange) + " asks " + WithoutQuery(exchange.url) +
                        ", which no answer of mockca's gave it: take URLs from the directory, "
                        "Location, Link and JSON fields, never build them",
                    {exchange.id});
      }
    }
    advertised.Learn(exchange);
  }
  return result.Finish("every URL came from the directory or an answer",
                       "no request beyond the directory");
}

}  // namespace

std::vector<Rule> DirectoryRules() {
  return {
      {"C-DIR-01", "BP",
       "Configured with the directory URL only; every other URL comes from the directory, a "
       "Location or Link header or a JSON field.",
       JudgeAdvertisedUrls},
  };
}

}  // namespace mockca::report::rules
