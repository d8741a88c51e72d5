#include "mockdns/wire/serialize.hpp"

#include <cctype>
#include <unordered_map>

#include "mockdns/wire/name.hpp"

namespace mockdns::wire {
namespace {

using common::MakeErr;
using Bytes = std::vector<std::uint8_t>;

class Writer {
 public:
  Bytes& bytes() { return bytes_; }

  void U8(std::uint8_t v) { bytes_.push_back(v); }
  void U16(std::uint16_t v) {
    bytes_.push_back(static_cast<std::uint8_t>(v >> 8));
    bytes_.push_back(static_cast<std::uint8_t>(v));
  }
  void U32(std::uint32_t v) {
    U16(static_cast<std::uint16_t>(v >> 16));
    U16(static_cast<std::uint16_t>(v));
  }
  void Append(const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + size);
  }
  void PatchU16(std::size_t at, std::uint16_t v) {
    bytes_[at] = static_cast<std::uint8_t>(v >> 8);
    bytes_[at + 1] = static_cast<std::uint8_t>(v);
  }

  // Writes a name, reusing any suffix already written (compression) when compress is set.
  common::Status<std::string> Name(const std::string& name, bool compress) {
    auto labels = NameToLabels(name);
    if (!labels) {
      return labels.error();
    }
    const auto& list = labels.value();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string key = SuffixKey(list, i);
      if (compress) {
        if (auto found = offsets_.find(key); found != offsets_.end()) {
          U16(static_cast<std::uint16_t>(0xC000 | found->second));
          return {};
        }
      }
      if (bytes_.size() < 0x4000) {
        offsets_.emplace(key, bytes_.size());
      }
      U8(static_cast<std::uint8_t>(list[i].size()));
      Append(list[i].data(), list[i].size());
    }
    U8(0);
    return {};
  }

 private:
  // Names compare case-insensitively (RFC 1035 §2.3.3), so the map key is lowercased wire form.
  static std::string SuffixKey(const std::vector<std::string>& labels, std::size_t from) {
    std::string key;
    for (std::size_t i = from; i < labels.size(); ++i) {
      key.push_back(static_cast<char>(labels[i].size()));
      for (const char c : labels[i]) {
        key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
    }
    return key;
  }

  Bytes bytes_;
  std::unordered_map<std::string, std::size_t> offsets_;
};

common::Status<std::string> WriteCharacterString(Writer& w, const std::string& text) {
  if (text.size() > 255) {
    return std::string("character-string over 255 octets");
  }
  w.U8(static_cast<std::uint8_t>(text.size()));
  w.Append(text.data(), text.size());
  return {};
}

common::Status<std::string> WriteRdata(Writer& w, const Rdata& data) {
  struct Visitor {
    Writer& w;
    common::Status<std::string> operator()(const RawData& d) {
      w.Append(d.bytes.data(), d.bytes.size());
      return {};
    }
    common::Status<std::string> operator()(const AData& d) {
      w.Append(d.address.data(), d.address.size());
      return {};
    }
    common::Status<std::string> operator()(const AaaaData& d) {
      w.Append(d.address.data(), d.address.size());
      return {};
    }
    common::Status<std::string> operator()(const NameData& d) { return w.Name(d.name, true); }
    common::Status<std::string> operator()(const MxData& d) {
      w.U16(d.preference);
      return w.Name(d.exchange, true);
    }
    common::Status<std::string> operator()(const SoaData& d) {
      if (auto s = w.Name(d.mname, true); !s) {
        return s;
      }
      if (auto s = w.Name(d.rname, true); !s) {
        return s;
      }
      for (std::uint32_t v : {d.serial, d.refresh, d.retry, d.expire, d.minimum}) {
        w.U32(v);
      }
      return {};
    }
    common::Status<std::string> operator()(const TxtData& d) {
      for (const auto& text : d.strings) {
        if (auto s = WriteCharacterString(w, text); !s) {
          return s;
        }
      }
      return {};
    }
    common::Status<std::string> operator()(const CaaData& d) {
      if (d.tag.empty()) {
        return std::string("empty CAA tag");
      }
      w.U8(d.flags);
      if (auto s = WriteCharacterString(w, d.tag); !s) {
        return s;
      }
      w.Append(d.value.data(), d.value.size());
      return {};
    }
  };
  return std::visit(Visitor{w}, data);
}

common::Status<std::string> WriteRecord(Writer& w, const ResourceRecord& record) {
  if (auto s = w.Name(record.name, true); !s) {
    return s;
  }
  w.U16(record.type);
  w.U16(record.klass);
  w.U32(record.ttl);
  const std::size_t length_at = w.bytes().size();
  w.U16(0);
  if (auto s = WriteRdata(w, record.data); !s) {
    return s;
  }
  const std::size_t length = w.bytes().size() - length_at - 2;
  if (length > 0xFFFF) {
    return std::string("rdata over 65535 octets");
  }
  w.PatchU16(length_at, static_cast<std::uint16_t>(length));
  return {};
}

std::uint16_t EncodeFlags(const Header& h) {
  return static_cast<std::uint16_t>(h.qr << 15 | (h.opcode & 0xF) << 11 | h.aa << 10 | h.tc << 9 |
                                    h.rd << 8 | h.ra << 7 | h.z << 6 | h.ad << 5 | h.cd << 4 |
                                    (h.rcode & 0xF));
}

common::Result<Bytes, std::string> Encode(const Message& message) {
  Writer w;
  w.U16(message.header.id);
  w.U16(EncodeFlags(message.header));
  for (std::size_t count : {message.questions.size(), message.answers.size(),
                            message.authorities.size(), message.additionals.size()}) {
    if (count > 0xFFFF) {
      return MakeErr(std::string("section over 65535 entries"));
    }
    w.U16(static_cast<std::uint16_t>(count));
  }
  for (const auto& question : message.questions) {
    if (auto s = w.Name(question.name, true); !s) {
      return s.error();
    }
    w.U16(question.type);
    w.U16(question.klass);
  }
  for (const auto* section : {&message.answers, &message.authorities, &message.additionals}) {
    for (const auto& record : *section) {
      if (auto s = WriteRecord(w, record); !s) {
        return s.error();
      }
    }
  }
  return std::move(w.bytes());
}

}  // namespace

common::Result<Bytes, std::string> Serialize(const Message& message, std::size_t max_size) {
  auto encoded = Encode(message);
  // A record section over 65535 entries has no encoding (Encode refuses its count), and no message
  // holding it would fit anyway: truncate it like any other oversize message.
  const bool too_many_records = message.answers.size() > 0xFFFF ||
                                message.authorities.size() > 0xFFFF ||
                                message.additionals.size() > 0xFFFF;
  if (!too_many_records && (!encoded || encoded.value().size() <= max_size)) {
    return encoded;
  }
  // Too big: send the header, question and OPT only, with TC set, so the client retries over TCP.
  Message truncated;
  truncated.header = message.header;
  truncated.header.tc = true;
  truncated.questions = message.questions;
  if (const ResourceRecord* opt = FindOpt(message)) {
    truncated.additionals.push_back(*opt);
  }
  return Encode(truncated);
}

}  // namespace mockdns::wire
