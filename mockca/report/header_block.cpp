#include "mockca/report/header_block.hpp"

#include <cstring>
#include <limits>

#include "common/ascii.hpp"

namespace mockca::report {
namespace {

std::uint32_t LengthAt(const char* at) {
  std::uint32_t length = 0;
  std::memcpy(&length, at, sizeof length);
  return length;
}

void AppendLength(std::string& text, std::size_t length) {
  const auto value = static_cast<std::uint32_t>(length);
  text.append(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace

HeaderBlock::Header HeaderBlock::Iterator::operator*() const {
  const std::uint32_t name_length = LengthAt(at_);
  const std::uint32_t value_length = LengthAt(at_ + sizeof(std::uint32_t));
  const char* name = at_ + kLengthBytes;
  return {std::string_view(name, name_length), std::string_view(name + name_length, value_length)};
}

HeaderBlock::Iterator& HeaderBlock::Iterator::operator++() {
  at_ += kLengthBytes + LengthAt(at_) + LengthAt(at_ + sizeof(std::uint32_t));
  return *this;
}

HeaderBlock::Iterator HeaderBlock::Iterator::operator++(int) {
  Iterator before = *this;
  ++*this;
  return before;
}

HeaderBlock::HeaderBlock(std::initializer_list<Header> headers) {
  for (const auto& [name, value] : headers) {
    emplace_back(name, value);
  }
}

void HeaderBlock::emplace_back(std::string_view name, std::string_view value) {
  // A request head is at most 8 KiB (README "Limits"), far below 4 GiB; a longer one is cut.
  constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
  name = name.substr(0, kMax);
  value = value.substr(0, kMax);
  AppendLength(text_, name.size());
  AppendLength(text_, value.size());
  text_.append(name);
  text_.append(value);
}

std::optional<std::string_view> HeaderBlock::First(std::string_view name) const {
  for (const auto& [key, value] : *this) {
    if (common::EqualsIgnoreCase(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

HeaderBlock::Header HeaderBlock::operator[](std::size_t index) const {
  Iterator it = begin();
  for (std::size_t i = 0; i < index; ++i) {
    ++it;
  }
  return *it;
}

}  // namespace mockca::report
