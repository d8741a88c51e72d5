#include "mockdns/wire/parse.hpp"

#include "mockdns/wire/name.hpp"

namespace mockdns::wire {
namespace {

using common::MakeErr;

// A bounds-checked cursor over the message; every read reports failure instead of overrunning.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::size_t position() const { return position_; }
  std::size_t remaining() const { return bytes_.size() - position_; }
  std::span<const std::uint8_t> all() const { return bytes_; }

  bool U8(std::uint8_t* out) {
    if (remaining() < 1) {
      return false;
    }
    *out = bytes_[position_++];
    return true;
  }
  bool U16(std::uint16_t* out) {
    if (remaining() < 2) {
      return false;
    }
    *out = static_cast<std::uint16_t>(bytes_[position_] << 8 | bytes_[position_ + 1]);
    position_ += 2;
    return true;
  }
  bool U32(std::uint32_t* out) {
    std::uint16_t high = 0, low = 0;
    if (!U16(&high) || !U16(&low)) {
      return false;
    }
    *out = static_cast<std::uint32_t>(high) << 16 | low;
    return true;
  }
  bool Bytes(std::size_t count, std::string* out) {
    if (remaining() < count) {
      return false;
    }
    out->assign(reinterpret_cast<const char*>(bytes_.data() + position_), count);
    position_ += count;
    return true;
  }
  void Seek(std::size_t position) { position_ = position; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
};

// RFC 1035 §4.1.4: a name is labels ending in a zero octet or a pointer. Pointers must point
// strictly before the start of the labels that contain them, which rules out loops.
common::Result<std::string, ParseError> ReadName(Reader& reader) {
  std::vector<std::string> labels;
  std::size_t wire_length = 1;
  std::size_t resume = 0;  // where the reader continues after the first pointer
  bool jumped = false;
  std::size_t segment_start = reader.position();
  for (;;) {
    std::uint8_t length = 0;
    if (!reader.U8(&length)) {
      return MakeErr(ParseError::kTruncated);
    }
    if (length == 0) {
      break;
    }
    if ((length & 0xC0) == 0xC0) {
      std::uint8_t low = 0;
      if (!reader.U8(&low)) {
        return MakeErr(ParseError::kTruncated);
      }
      const std::size_t target = static_cast<std::size_t>(length & 0x3F) << 8 | low;
      if (target >= segment_start) {
        return MakeErr(ParseError::kBadPointer);
      }
      if (!jumped) {
        resume = reader.position();
        jumped = true;
      }
      reader.Seek(target);
      segment_start = target;
      continue;
    }
    if ((length & 0xC0) != 0) {
      return MakeErr(ParseError::kBadLabel);
    }
    std::string label;
    if (!reader.Bytes(length, &label)) {
      return MakeErr(ParseError::kTruncated);
    }
    wire_length += length + 1;
    if (wire_length > kMaxNameWireLength) {
      return MakeErr(ParseError::kNameTooLong);
    }
    labels.push_back(std::move(label));
  }
  if (jumped) {
    reader.Seek(resume);
  }
  return LabelsToName(labels);
}

common::Result<Rdata, ParseError> ReadRdata(Reader& reader, std::uint16_t type, std::size_t end) {
  const std::size_t length = end - reader.position();
  auto fail_unless_at_end = [&](Rdata data) -> common::Result<Rdata, ParseError> {
    if (reader.position() != end) {
      return MakeErr(ParseError::kBadRdata);
    }
    return data;
  };
  switch (type) {
    case rrtype::kA: {
      if (length != 4) {
        return MakeErr(ParseError::kBadRdata);
      }
      AData a;
      for (auto& byte : a.address) {
        reader.U8(&byte);
      }
      return Rdata(a);
    }
    case rrtype::kAaaa: {
      if (length != 16) {
        return MakeErr(ParseError::kBadRdata);
      }
      AaaaData aaaa;
      for (auto& byte : aaaa.address) {
        reader.U8(&byte);
      }
      return Rdata(aaaa);
    }
    case rrtype::kCname:
    case rrtype::kNs:
    case rrtype::kPtr: {
      auto name = ReadName(reader);
      if (!name) {
        return name.error();
      }
      return fail_unless_at_end(NameData{std::move(name).value()});
    }
    case rrtype::kMx: {
      MxData mx;
      if (!reader.U16(&mx.preference)) {
        return MakeErr(ParseError::kBadRdata);
      }
      auto name = ReadName(reader);
      if (!name) {
        return name.error();
      }
      mx.exchange = std::move(name).value();
      return fail_unless_at_end(std::move(mx));
    }
    case rrtype::kSoa: {
      SoaData soa;
      auto mname = ReadName(reader);
      if (!mname) {
        return mname.error();
      }
      auto rname = ReadName(reader);
      if (!rname) {
        return rname.error();
      }
      soa.mname = std::move(mname).value();
      soa.rname = std::move(rname).value();
      if (!reader.U32(&soa.serial) || !reader.U32(&soa.refresh) || !reader.U32(&soa.retry) ||
          !reader.U32(&soa.expire) || !reader.U32(&soa.minimum)) {
        return MakeErr(ParseError::kBadRdata);
      }
      return fail_unless_at_end(std::move(soa));
    }
    case rrtype::kTxt: {
      TxtData txt;
      if (length == 0) {
        return MakeErr(ParseError::kBadRdata);  // RFC 1035: at least one character-string
      }
      while (reader.position() < end) {
        std::uint8_t size = 0;
        std::string text;
        if (!reader.U8(&size) || reader.position() + size > end || !reader.Bytes(size, &text)) {
          return MakeErr(ParseError::kBadRdata);
        }
        txt.strings.push_back(std::move(text));
      }
      return Rdata(std::move(txt));
    }
    case rrtype::kCaa: {
      CaaData caa;
      std::uint8_t tag_length = 0;
      if (!reader.U8(&caa.flags) || !reader.U8(&tag_length) || tag_length == 0 ||
          reader.position() + tag_length > end || !reader.Bytes(tag_length, &caa.tag) ||
          !reader.Bytes(end - reader.position(), &caa.value)) {
        return MakeErr(ParseError::kBadRdata);
      }
      return Rdata(std::move(caa));
    }
    default: {
      std::string raw;
      reader.Bytes(length, &raw);
      return Rdata(RawData{std::vector<std::uint8_t>(raw.begin(), raw.end())});
    }
  }
}

common::Result<ResourceRecord, ParseError> ReadRecord(Reader& reader) {
  ResourceRecord record;
  auto name = ReadName(reader);
  if (!name) {
    return name.error();
  }
  record.name = std::move(name).value();
  std::uint16_t rdlength = 0;
  if (!reader.U16(&record.type) || !reader.U16(&record.klass) || !reader.U32(&record.ttl) ||
      !reader.U16(&rdlength) || reader.remaining() < rdlength) {
    return MakeErr(ParseError::kTruncated);
  }
  auto data = ReadRdata(reader, record.type, reader.position() + rdlength);
  if (!data) {
    return data.error();
  }
  record.data = std::move(data).value();
  return record;
}

Header DecodeFlags(std::uint16_t id, std::uint16_t flags) {
  Header header;
  header.id = id;
  header.qr = flags & 0x8000;
  header.opcode = (flags >> 11) & 0xF;
  header.aa = flags & 0x0400;
  header.tc = flags & 0x0200;
  header.rd = flags & 0x0100;
  header.ra = flags & 0x0080;
  header.z = flags & 0x0040;
  header.ad = flags & 0x0020;
  header.cd = flags & 0x0010;
  header.rcode = flags & 0xF;
  return header;
}

}  // namespace

std::string_view ParseErrorText(ParseError error) {
  switch (error) {
    case ParseError::kTooShort:
      return "message shorter than a header";
    case ParseError::kTruncated:
      return "message truncated";
    case ParseError::kBadLabel:
      return "bad label";
    case ParseError::kBadPointer:
      return "bad compression pointer";
    case ParseError::kNameTooLong:
      return "name over 255 octets";
    case ParseError::kBadRdata:
      return "bad rdata";
    case ParseError::kTrailingData:
      return "trailing data after the last record";
    case ParseError::kTooLarge:
      return "message over 65535 octets";
  }
  return "unknown parse error";
}

bool PeekId(std::span<const std::uint8_t> bytes, std::uint16_t* id) {
  if (bytes.size() < 2) {
    return false;
  }
  *id = static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]);
  return true;
}

common::Result<Message, ParseError> Parse(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kMaxMessageSize) {
    return MakeErr(ParseError::kTooLarge);
  }
  Reader reader(bytes);
  std::uint16_t id = 0, flags = 0, counts[4] = {};
  if (!reader.U16(&id) || !reader.U16(&flags) || !reader.U16(&counts[0]) ||
      !reader.U16(&counts[1]) || !reader.U16(&counts[2]) || !reader.U16(&counts[3])) {
    return MakeErr(ParseError::kTooShort);
  }
  Message message;
  message.header = DecodeFlags(id, flags);
  for (int i = 0; i < counts[0]; ++i) {
    Question question;
    auto name = ReadName(reader);
    if (!name) {
      return name.error();
    }
    question.name = std::move(name).value();
    if (!reader.U16(&question.type) || !reader.U16(&question.klass)) {
      return MakeErr(ParseError::kTruncated);
    }
    message.questions.push_back(std::move(question));
  }
  std::vector<ResourceRecord>* sections[] = {&message.answers, &message.authorities,
                                             &message.additionals};
  for (int s = 0; s < 3; ++s) {
    for (int i = 0; i < counts[s + 1]; ++i) {
      auto record = ReadRecord(reader);
      if (!record) {
        return record.error();
      }
      sections[s]->push_back(std::move(record).value());
    }
  }
  if (reader.remaining() != 0) {
    return MakeErr(ParseError::kTrailingData);
  }
  return message;
}

}  // namespace mockdns::wire
