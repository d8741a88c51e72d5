// common::ParseListenList, the parser of --dns01/--http01/... values. Input: bit 0 of byte 0 is
// listen_all, the rest is the text. Oracles: every address's ToString() splits (SplitHostPort) back
// to the same host and port; the host is a whole IP literal; and the list rendered with ToString()
// parses back to the same list.

#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/listen_address.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

// The whole string is one IPv4 or IPv6 literal (inet_pton alone stops at an embedded NUL).
bool IsWholeIpLiteral(const std::string& host) {
  unsigned char buffer[16];
  return host.find('\0') == std::string::npos && (inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
                                                  inet_pton(AF_INET6, host.c_str(), buffer) == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  if (size == 0) {
    return 0;
  }
  const bool listen_all = data[0] & 1;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto list = common::ParseListenList(text, listen_all);
  if (!list) {
    return 0;
  }
  std::string rendered;
  for (const common::ListenAddress& address : list.value()) {
    FUZZ_CHECK(IsWholeIpLiteral(address.host));
    const auto split = common::SplitHostPort(address.ToString());
    FUZZ_CHECK(split.ok());
    FUZZ_CHECK(split.value() == address);
    rendered += (rendered.empty() ? "" : ",") + address.ToString();
  }
  const auto again = common::ParseListenList(rendered, listen_all);
  FUZZ_CHECK(again.ok() && again.value() == list.value());
  return 0;
}
