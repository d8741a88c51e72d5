#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mockca/report/records.hpp"

namespace mockca::report {

// What one response showed the client about the status of ACME objects.
struct ServedObjects {
  // One entry per object the body shows, `from` empty and `exchange` 0 (the Recorder fills both),
  // `time` the exchange's: for a 200/201 response whose body is a JSON object with a string
  // "status", of kind newAccount/account ("account"), newOrder/order/finalize ("order"), authz
  // ("authz", then each of its challenges with string "url" and "status": "challenge") or
  // challenge ("challenge"). The url is the Location of newAccount/newOrder (made absolute against
  // origin), else the request URL (for finalize that is the finalize URL: the Recorder maps it to
  // the order's URL through finalize_url).
  std::vector<StatusChange> statuses;
  // An order body's "finalize" URL ("" for other bodies), so that a later finalize response can
  // be filed under the URL of the order it finalizes.
  std::string finalize_url;
};

// Reads response_body (the full body; the Exchange's copy may be truncated). Never throws.
ServedObjects ServedStatuses(const Exchange& exchange, std::string_view response_body,
                             const std::string& origin);

}  // namespace mockca::report
