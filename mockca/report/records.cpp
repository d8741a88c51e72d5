#include "mockca/report/records.hpp"

namespace mockca::report {

std::string Exchange::RequestHeader(std::string_view name) const {
  return std::string(request_headers.First(name).value_or(""));
}

std::string Exchange::ResponseHeader(std::string_view name) const {
  return std::string(response_headers.First(name).value_or(""));
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kWarn:
      return "WARN";
    case Verdict::kNote:
      return "NOTE";
    case Verdict::kNotTested:
      return "NOT-TESTED";
  }
  return "NOT-TESTED";
}

}  // namespace mockca::report
