// DNS over TCP framing (RFC 1035 §4.2.2): [2-byte length][message] frames, as the session in
// mockdns/server/dns_server.cpp reads them; a length of 0 or over api::kMaxQuerySize closes the
// connection. The session lives inside Asio, so the reference framing is restated here.
//
// Input: byte 0 seeds the chunk sizes (1..N, as libtorrent's http_parser target re-feeds its
// input); the rest is the stream. Oracles: the frames decoded chunk by chunk equal those decoded at
// once, and every frame through api::ExchangeDns over TCP gives nothing or a reply that parses and
// fits a TCP length prefix.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "mockdns/api/dns_exchange.hpp"
#include "mockdns/wire/parse.hpp"
#include "mockdns/zone/request_history.hpp"
#include "mockdns/zone/zone.hpp"

namespace {

namespace api = mockdns::api;
namespace wire = mockdns::wire;
namespace zone = mockdns::zone;

using Frame = std::vector<std::uint8_t>;

struct Decoded {
  std::vector<Frame> frames;
  bool closed = false;  // a refused length ended the stream
  bool operator==(const Decoded&) const = default;
};

// Whole-buffer framing: the reference.
Decoded DecodeAtOnce(std::span<const std::uint8_t> stream) {
  Decoded out;
  std::size_t at = 0;
  while (stream.size() - at >= 2) {
    const std::size_t length = static_cast<std::size_t>(stream[at]) << 8 | stream[at + 1];
    if (length == 0 || length > api::kMaxQuerySize) {
      out.closed = true;
      break;
    }
    if (stream.size() - at - 2 < length) {
      break;  // the peer stopped mid-frame
    }
    out.frames.emplace_back(stream.begin() + at + 2, stream.begin() + at + 2 + length);
    at += 2 + length;
  }
  return out;
}

// Incremental framing, fed whatever each read returned: the shape of the server's read loop.
class StreamDecoder {
 public:
  void Feed(std::span<const std::uint8_t> chunk) {
    for (const std::uint8_t byte : chunk) {
      if (out_.closed) {
        return;
      }
      buffer_.push_back(byte);
      if (!have_length_ && buffer_.size() == 2) {
        want_ = static_cast<std::size_t>(buffer_[0]) << 8 | buffer_[1];
        buffer_.clear();
        have_length_ = true;
        out_.closed = want_ == 0 || want_ > api::kMaxQuerySize;
      } else if (have_length_ && buffer_.size() == want_) {
        out_.frames.push_back(std::move(buffer_));
        buffer_.clear();
        have_length_ = false;
      }
    }
  }
  const Decoded& decoded() const { return out_; }

 private:
  Decoded out_;
  Frame buffer_;
  bool have_length_ = false;
  std::size_t want_ = 0;
};

const zone::Zone& LiveZone() {
  static const std::unique_ptr<zone::Zone> live = [] {
    auto z = std::make_unique<zone::Zone>();
    z->Update([](zone::ZoneData& d) {
      d.a["a.example."] = {"192.0.2.1"};
      d.txt["_acme-challenge.example."] = {std::string(300, 't')};
      d.cname["c.example."] = "a.example.";
      d.servfail = {"sf.example."};
      d.nxdomain = {"nx.example."};
    });
    return z;
  }();
  return *live;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65535) {
    return -1;
  }
  if (size == 0) {
    return 0;
  }
  const std::size_t max_chunk = data[0] % 64 + 1;
  const std::span<const std::uint8_t> stream(data + 1, size - 1);

  StreamDecoder decoder;
  for (std::size_t at = 0, step = data[0]; at < stream.size(); ++step) {
    const std::size_t chunk = std::min(step * 7 % max_chunk + 1, stream.size() - at);
    decoder.Feed(stream.subspan(at, chunk));
    at += chunk;
  }
  const Decoded reference = DecodeAtOnce(stream);
  FUZZ_CHECK(decoder.decoded() == reference);

  zone::RequestHistory history;  // per input: a long-lived one only grows (leak checks every run)
  for (const Frame& frame : reference.frames) {
    const auto reply = api::ExchangeDns(frame, api::DnsTransport::kTcp, "", LiveZone(), history);
    if (reply.empty()) {
      continue;
    }
    FUZZ_CHECK(reply.size() <= 65535);
    const auto parsed = wire::Parse(reply);
    FUZZ_CHECK(parsed.ok() && parsed.value().header.qr);
  }
  return 0;
}
