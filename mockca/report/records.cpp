#include "mockca/report/records.hpp"

#include "common/ascii.hpp"

namespace mockca::report {
namespace {

std::string FirstHeader(const Headers& headers, std::string_view name) {
  return std::string(headers.First(name).value_or(""));
}

}  // namespace

std::string Exchange::RequestHeader(std::string_view name) const {
  return FirstHeader(request_headers, name);
}

std::string Exchange::ResponseHeader(std::string_view name) const {
  return FirstHeader(response_headers, name);
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
