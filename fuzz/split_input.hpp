#pragma once

#include <string_view>
#include <utility>

// The two-part inputs of several targets, "<first>\n%%\n<second>": the text before the first
// separator, and the text after it ("" when there is none).
inline std::pair<std::string_view, std::string_view> SplitInput(std::string_view input) {
  constexpr std::string_view kSeparator = "\n%%\n";
  const std::size_t separator = input.find(kSeparator);
  if (separator == std::string_view::npos) {
    return {input, {}};
  }
  return {input.substr(0, separator), input.substr(separator + kSeparator.size())};
}
