#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace mockdns::wire {

// RR types and classes this codec knows by structure; any other type is carried as raw rdata.
namespace rrtype {
inline constexpr std::uint16_t kA = 1;
inline constexpr std::uint16_t kNs = 2;
inline constexpr std::uint16_t kCname = 5;
inline constexpr std::uint16_t kSoa = 6;
inline constexpr std::uint16_t kPtr = 12;
inline constexpr std::uint16_t kMx = 15;
inline constexpr std::uint16_t kTxt = 16;
inline constexpr std::uint16_t kAaaa = 28;
inline constexpr std::uint16_t kOpt = 41;
inline constexpr std::uint16_t kCaa = 257;
}  // namespace rrtype

inline constexpr std::uint16_t kClassIn = 1;

enum class Rcode : std::uint8_t {
  kNoError = 0,
  kFormErr = 1,
  kServFail = 2,
  kNxDomain = 3,
  kNotImp = 4,
  kRefused = 5,
};

struct Header {
  std::uint16_t id = 0;
  bool qr = false;  // response
  std::uint8_t opcode = 0;
  bool aa = false;
  bool tc = false;
  bool rd = false;
  bool ra = false;
  bool z = false;
  bool ad = false;
  bool cd = false;
  std::uint8_t rcode = 0;  // low 4 bits; the EDNS extended part lives in the OPT record
  bool operator==(const Header&) const = default;
};

// Domain names are in presentation form, fully qualified with the trailing dot ("example.com.", the
// root is "."). Label bytes outside printable ASCII, '.' and '\' are escaped as \DDD / \. / \\.
struct Question {
  std::string name;
  std::uint16_t type = 0;
  std::uint16_t klass = kClassIn;
  bool operator==(const Question&) const = default;
};

struct AData {
  std::array<std::uint8_t, 4> address{};
  bool operator==(const AData&) const = default;
};
struct AaaaData {
  std::array<std::uint8_t, 16> address{};
  bool operator==(const AaaaData&) const = default;
};
// CNAME, NS and PTR: a single domain name.
struct NameData {
  std::string name;
  bool operator==(const NameData&) const = default;
};
struct SoaData {
  std::string mname;
  std::string rname;
  std::uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
  bool operator==(const SoaData&) const = default;
};
struct MxData {
  std::uint16_t preference = 0;
  std::string exchange;
  bool operator==(const MxData&) const = default;
};
// Each element is one character-string of at most 255 octets.
struct TxtData {
  std::vector<std::string> strings;
  bool operator==(const TxtData&) const = default;
};
struct CaaData {
  std::uint8_t flags = 0;
  std::string tag;
  std::string value;
  bool operator==(const CaaData&) const = default;
};
// OPT options and every type not listed above (RFC 3597: such rdata is never compressed).
struct RawData {
  std::vector<std::uint8_t> bytes;
  bool operator==(const RawData&) const = default;
};

using Rdata = std::variant<RawData, AData, AaaaData, NameData, SoaData, MxData, TxtData, CaaData>;

// For OPT (RFC 6891) klass is the requestor's UDP payload size and ttl holds the extended rcode,
// version and flags; the name is ".".
struct ResourceRecord {
  std::string name;
  std::uint16_t type = 0;
  std::uint16_t klass = kClassIn;
  std::uint32_t ttl = 0;
  Rdata data;
  bool operator==(const ResourceRecord&) const = default;
};

struct Message {
  Header header;
  std::vector<Question> questions;
  std::vector<ResourceRecord> answers;
  std::vector<ResourceRecord> authorities;
  std::vector<ResourceRecord> additionals;
  bool operator==(const Message&) const = default;
};

// Splits a TXT value into character-strings of at most 255 octets (an empty value gives one
// empty string).
TxtData TxtFromValue(const std::string& value);

// The OPT record of a message, or nullptr.
const ResourceRecord* FindOpt(const Message& message);

}  // namespace mockdns::wire
