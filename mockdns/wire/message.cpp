#include "mockdns/wire/message.hpp"

namespace mockdns::wire {

TxtData TxtFromValue(const std::string& value) {
  TxtData txt;
  for (std::size_t offset = 0; offset < value.size(); offset += 255) {
    txt.strings.push_back(value.substr(offset, 255));
  }
  if (txt.strings.empty()) {
    txt.strings.emplace_back();
  }
  return txt;
}

const ResourceRecord* FindOpt(const Message& message) {
  for (const auto& record : message.additionals) {
    if (record.type == rrtype::kOpt) {
      return &record;
    }
  }
  return nullptr;
}

}  // namespace mockdns::wire
