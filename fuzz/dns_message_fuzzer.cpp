// wire::Parse -> Serialize -> Parse must give back the same message (nlohmann's parse/dump/parse
// oracle), up to the ASCII case of names: compression matches suffixes case-insensitively, so a
// pointer carries the first spelling (tested in serialize_test.cpp). Serialize of that second parse
// must then give the same octets. When the re-encoding is bigger than 65535 octets (the input
// compressed names into rdata we never compress into), Serialize must fall back to the TC form.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <variant>

#include "fuzz/fuzz_check.hpp"
#include "mockdns/wire/name.hpp"
#include "mockdns/wire/parse.hpp"
#include "mockdns/wire/serialize.hpp"

namespace {

namespace wire = mockdns::wire;

// The message with every name (owners, questions, names inside rdata) in canonical case.
wire::Message FoldCase(wire::Message m) {
  auto fold = [](std::string& name) { name = wire::CanonicalName(name); };
  for (auto& question : m.questions) {
    fold(question.name);
  }
  for (auto* section : {&m.answers, &m.authorities, &m.additionals}) {
    for (auto& record : *section) {
      fold(record.name);
      if (auto* n = std::get_if<wire::NameData>(&record.data)) {
        fold(n->name);
      } else if (auto* mx = std::get_if<wire::MxData>(&record.data)) {
        fold(mx->exchange);
      } else if (auto* soa = std::get_if<wire::SoaData>(&record.data)) {
        fold(soa->mname);
        fold(soa->rname);
      }
    }
  }
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > wire::kMaxMessageSize) {
    return -1;
  }
  const auto first = wire::Parse({data, size});
  if (!first) {
    return 0;
  }
  const auto full = wire::Serialize(first.value(), std::numeric_limits<std::size_t>::max());
  FUZZ_CHECK(full.ok());
  const auto bounded = wire::Serialize(first.value(), wire::kMaxMessageSize);
  FUZZ_CHECK(bounded.ok());
  const auto second = wire::Parse(bounded.value());
  FUZZ_CHECK(second.ok());
  if (full.value().size() <= wire::kMaxMessageSize) {
    FUZZ_CHECK(bounded.value() == full.value());
    FUZZ_CHECK(FoldCase(second.value()) == FoldCase(first.value()));
    const auto third = wire::Serialize(second.value(), wire::kMaxMessageSize);
    FUZZ_CHECK(third.ok() && third.value() == full.value());
  } else {
    FUZZ_CHECK(second.value().header.tc);
    FUZZ_CHECK(FoldCase(second.value()).questions == FoldCase(first.value()).questions);
    FUZZ_CHECK(second.value().answers.empty() && second.value().authorities.empty());
  }
  return 0;
}
