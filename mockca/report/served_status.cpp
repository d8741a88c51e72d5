#include "mockca/report/served_status.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mockca/report/exchange_builder.hpp"

namespace mockca::report {
namespace {

// The object kind an endpoint kind's successful response describes, or "".
std::string ObjectOf(const std::string& kind) {
  if (kind == "newAccount" || kind == "account") {
    return "account";
  }
  if (kind == "newOrder" || kind == "order" || kind == "finalize") {
    return "order";
  }
  if (kind == "authz" || kind == "challenge") {
    return kind;
  }
  return {};
}

// The members ServedStatuses reads from a response body, read without building the JSON tree
// (a SAX handler for nlohmann::json::sax_parse): the top-level object's string "status" and
// "finalize", and the string "url" and "status" of each object in its "challenges" array. A
// member given twice counts as its last value, as in a parsed tree.
class StatusMembers {
 public:
  struct Challenge {
    std::string url;
    std::string status;
  };

  bool root_is_object() const { return root_is_object_; }
  const std::string& status() const { return status_; }
  const std::string& finalize() const { return finalize_; }
  const std::vector<Challenge>& challenges() const { return challenges_; }

  // The SAX interface: each returns true to go on.
  bool null() { return Value(nullptr); }
  bool boolean(bool) { return Value(nullptr); }
  bool number_integer(std::int64_t) { return Value(nullptr); }
  bool number_unsigned(std::uint64_t) { return Value(nullptr); }
  bool number_float(double, const std::string&) { return Value(nullptr); }
  bool string(std::string& value) { return Value(&value); }
  bool binary(nlohmann::json::binary_t&) { return Value(nullptr); }
  bool start_object(std::size_t) { return Start(/*array=*/false); }
  bool start_array(std::size_t) { return Start(/*array=*/true); }
  bool key(std::string& name) {
    frames_.back().key = name;
    return true;
  }
  bool end_object() { return End(); }
  bool end_array() { return End(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&) {
    return false;
  }

 private:
  struct Frame {
    bool array = false;
    std::string key;  // the member being read, in an object
  };

  // Where the value about to start lies: its slot, or nullptr when none of interest.
  std::string* Slot() {
    if (frames_.size() == 1 && !frames_[0].array) {
      if (frames_[0].key == "status") {
        return &status_;
      }
      if (frames_[0].key == "finalize") {
        return &finalize_;
      }
    }
    if (InChallenge()) {
      if (frames_[2].key == "url") {
        return &challenges_.back().url;
      }
      if (frames_[2].key == "status") {
        return &challenges_.back().status;
      }
    }
    return nullptr;
  }
  // Inside one object of the top-level "challenges" array, directly.
  bool InChallenge() const {
    return frames_.size() == 3 && !frames_[0].array && frames_[0].key == "challenges" &&
           frames_[1].array && !frames_[2].array;
  }
  // A value begins where frames_ point: what an earlier value of the same member gave is
  // forgotten. Its slot, or nullptr.
  std::string* BeginValue() {
    if (frames_.size() == 1 && !frames_[0].array && frames_[0].key == "challenges") {
      challenges_.clear();
    }
    std::string* slot = Slot();
    if (slot != nullptr) {
      slot->clear();
    }
    return slot;
  }
  bool Value(const std::string* text) {
    if (std::string* slot = BeginValue(); slot != nullptr && text != nullptr) {
      *slot = *text;
    }
    return true;
  }
  bool Start(bool array) {
    BeginValue();
    if (frames_.empty()) {
      root_is_object_ = !array;
    }
    frames_.push_back(Frame{array, {}});
    if (InChallenge()) {
      challenges_.emplace_back();
    }
    return true;
  }
  bool End() {
    frames_.pop_back();
    return true;
  }

  std::vector<Frame> frames_;
  bool root_is_object_ = false;
  std::string status_;
  std::string finalize_;
  std::vector<Challenge> challenges_;
};

}  // namespace

ServedObjects ServedStatuses(const Exchange& exchange, std::string_view response_body,
                             const std::string& origin) {
  ServedObjects served;
  const std::string object = ObjectOf(exchange.kind);
  if (object.empty() || (exchange.status != 200 && exchange.status != 201)) {
    return served;
  }
  StatusMembers body;
  if (!nlohmann::json::sax_parse(response_body, &body) || !body.root_is_object()) {
    return served;
  }
  const std::string& status = body.status();
  if (status.empty()) {
    return served;
  }
  std::string url = exchange.url;
  if (exchange.kind == "newAccount" || exchange.kind == "newOrder") {
    const std::string location = exchange.ResponseHeader("Location");
    if (!location.empty()) {
      url = AbsoluteUrl(location, origin);
    }
  }
  const auto add = [&](std::string kind, std::string at, std::string to) {
    served.statuses.push_back(StatusChange{0, exchange.received, std::move(kind), std::move(at),
                                           std::string(), std::move(to)});
  };
  add(object, url, status);
  if (object == "order") {
    served.finalize_url = body.finalize();
  }
  if (object == "authz") {
    for (const StatusMembers::Challenge& challenge : body.challenges()) {
      if (!challenge.url.empty() && !challenge.status.empty()) {
        add("challenge", challenge.url, challenge.status);
      }
    }
  }
  return served;
}

}  // namespace mockca::report
