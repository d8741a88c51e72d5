#include "mockdns/wire/name.hpp"

#include <cctype>

#include "common/ascii.hpp"

namespace mockdns::wire {
namespace {

bool NeedsEscape(unsigned char c) {
  return c <= 0x20 || c >= 0x7f || c == '.' || c == '\\';
}

}  // namespace

common::Result<std::vector<std::string>, std::string> NameToLabels(std::string_view name) {
  std::vector<std::string> labels;
  if (name.empty()) {
    return common::MakeErr(std::string("empty name"));
  }
  if (name == ".") {
    return labels;
  }
  std::string label;
  std::size_t wire_length = 1;  // the root label
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '.') {
      if (label.empty()) {
        return common::MakeErr("empty label in \"" + std::string(name) + "\"");
      }
      wire_length += label.size() + 1;
      labels.push_back(std::move(label));
      label.clear();
      continue;
    }
    if (c != '\\') {
      label.push_back(c);
    } else if (i + 3 < name.size() && std::isdigit(static_cast<unsigned char>(name[i + 1])) &&
               std::isdigit(static_cast<unsigned char>(name[i + 2])) &&
               std::isdigit(static_cast<unsigned char>(name[i + 3]))) {
      const int value = (name[i + 1] - '0') * 100 + (name[i + 2] - '0') * 10 + (name[i + 3] - '0');
      if (value > 255) {
        return common::MakeErr("bad escape in \"" + std::string(name) + "\"");
      }
      label.push_back(static_cast<char>(value));
      i += 3;
    } else if (i + 1 < name.size() && !std::isdigit(static_cast<unsigned char>(name[i + 1]))) {
      label.push_back(name[++i]);
    } else {
      return common::MakeErr("bad escape in \"" + std::string(name) + "\"");
    }
    if (label.size() > kMaxLabelLength) {
      return common::MakeErr("label over 63 octets in \"" + std::string(name) + "\"");
    }
  }
  if (!label.empty()) {
    wire_length += label.size() + 1;
    labels.push_back(std::move(label));
  }
  if (wire_length > kMaxNameWireLength) {
    return common::MakeErr("name over 255 octets: \"" + std::string(name) + "\"");
  }
  return labels;
}

std::string LabelsToName(const std::vector<std::string>& labels) {
  if (labels.empty()) {
    return ".";
  }
  std::string out;
  for (const auto& label : labels) {
    for (const char c : label) {
      const auto byte = static_cast<unsigned char>(c);
      if (!NeedsEscape(byte)) {
        out.push_back(c);
      } else if (c == '.' || c == '\\') {
        out.push_back('\\');
        out.push_back(c);
      } else {
        out.push_back('\\');
        out.push_back(static_cast<char>('0' + byte / 100));
        out.push_back(static_cast<char>('0' + byte / 10 % 10));
        out.push_back(static_cast<char>('0' + byte % 10));
      }
    }
    out.push_back('.');
  }
  return out;
}

std::string CanonicalName(std::string_view name) {
  auto labels = NameToLabels(name);
  if (!labels) {
    std::string out = common::AsciiLower(std::string(name));
    if (out.empty() || out.back() != '.') {
      out.push_back('.');
    }
    return out;
  }
  for (auto& label : labels.value()) {
    label = common::AsciiLower(std::move(label));
  }
  return LabelsToName(labels.value());
}

bool IsValidName(std::string_view name) {
  return NameToLabels(name).ok();
}

}  // namespace mockdns::wire
