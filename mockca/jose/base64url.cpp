#include "mockca/jose/base64url.hpp"

#include <array>
#include <cstdint>

namespace mockca::jose {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int kInvalid = -1;

// The 6-bit value of each base64url character, kInvalid for every other byte.
constexpr std::array<int, 256> MakeDecodeTable() {
  std::array<int, 256> table{};
  for (int& value : table) {
    value = kInvalid;
  }
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}

constexpr std::array<int, 256> kDecodeTable = MakeDecodeTable();

acme::Problem FieldProblem(std::string_view field, std::string_view what) {
  return acme::Malformed("field " + std::string(field) + ": " + std::string(what));
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group =
        static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
        static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
        static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(group >> 18) & 0x3F];
    out += kAlphabet[(group >> 12) & 0x3F];
    out += kAlphabet[(group >> 6) & 0x3F];
    out += kAlphabet[group & 0x3F];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) {
    return out;
  }
  std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
  if (rest == 2) {
    group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
  }
  out += kAlphabet[(group >> 18) & 0x3F];
  out += kAlphabet[(group >> 12) & 0x3F];
  if (rest == 2) {
    out += kAlphabet[(group >> 6) & 0x3F];
  }
  return out;
}

acme::Result<std::string> Base64UrlDecode(std::string_view text, std::string_view field) {
  // S-HTTP-04, RFC 8555 §6.1: base64url fields are unpadded; a padded value is malformed.
  if (text.find('=') != std::string_view::npos) {
    return FieldProblem(field, "base64url must not be padded");
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int value = kDecodeTable[static_cast<unsigned char>(text[i])];
    if (value == kInvalid) {
      return FieldProblem(field, "invalid base64url character at offset " + std::to_string(i));
    }
    bits = ((bits << 6) | static_cast<std::uint32_t>(value)) & 0xFFF;  // 12 bits suffice
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out += static_cast<char>((bits >> bit_count) & 0xFF);
    }
  }
  if (text.size() % 4 == 1) {
    return FieldProblem(
        field, "base64url length " + std::to_string(text.size()) + " is impossible (1 mod 4)");
  }
  // Leftover bits (2 or 4) are the unused tail of the last character; RFC 4648 §3.5 lets a
  // decoder ignore them when non-zero.
  return out;
}

}  // namespace mockca::jose
