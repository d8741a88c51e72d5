#include "mockca/server/pebble_config.hpp"

#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>

#include "common/ascii.hpp"
#include "common/json.hpp"
#include "common/json_parse.hpp"
#include "mockca/jose/base64url.hpp"

namespace mockca::server {
namespace {

using nlohmann::json;
using Failure = common::Err<std::string>;

// Pebble's profile rule: 0 or anything >= 9223372038 s (past Go's time.Duration) is 90 days.
constexpr std::uint64_t kDefaultValidity = 7776000;
constexpr std::uint64_t kMaxValidity = 9223372038;

// A short rendering of a bad value for an error message.
std::string Shown(const json& value) {
  std::string text = value.dump();
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

Failure TypeError(const std::string& key, const std::string& expected, const json& value) {
  return common::MakeErr(key + ": expected " + expected + ", got " + Shown(value));
}

common::Result<std::string, std::string> String(const std::string& key, const json& value) {
  if (!value.is_string()) {
    return TypeError(key, "a string", value);
  }
  return value.get<std::string>();
}

common::Result<std::uint64_t, std::string> Unsigned(const std::string& key, const json& value,
                                                    std::uint64_t max) {
  // nlohmann keeps a non-negative integer as number_unsigned, so only a signed one can be < 0
  // (reading 2^63..2^64-1 as int64_t would make it negative and refuse it).
  const bool negative =
      value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0;
  if (!value.is_number_integer() || negative || value.get<std::uint64_t>() > max) {
    return TypeError(key, "an integer 0.." + std::to_string(max), value);
  }
  return value.get<std::uint64_t>();
}

common::Result<bool, std::string> Bool(const std::string& key, const json& value) {
  if (!value.is_boolean()) {
    return TypeError(key, "true or false", value);
  }
  return value.get<bool>();
}

common::Result<std::vector<std::string>, std::string> Strings(const std::string& key,
                                                              const json& value) {
  if (!value.is_array()) {
    return TypeError(key, "an array of strings", value);
  }
  std::vector<std::string> out;
  for (const json& item : value) {
    if (!item.is_string()) {
      return TypeError(key, "an array of strings", value);
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

// Calls handle(lowercased key, value) for every member of object that is not null. Go's
// encoding/json leaves a field untouched for null.
template <typename Handler>
common::Status<std::string> EachMember(const json& object, Handler handle) {
  for (const auto& [key, value] : object.items()) {
    if (value.is_null()) {
      continue;
    }
    if (common::Status<std::string> done = handle(key, common::AsciiLower(key), value); !done) {
      return done;
    }
  }
  return {};
}

common::Result<ProfileConfig, std::string> Profile(const std::string& where, const json& value,
                                                   std::vector<std::string>* warnings) {
  if (!value.is_object()) {
    return TypeError(where, "an object", value);
  }
  ProfileConfig profile;
  auto done = EachMember(
      value,
      [&](const std::string& key, const std::string& lower,
          const json& member) -> common::Status<std::string> {
        const std::string name = where + "." + key;
        if (lower == "description") {
          auto text = String(name, member);
          if (!text) {
            return text.error();
          }
          profile.description = text.value();
        } else if (lower == "validityperiod") {
          auto seconds = Unsigned(name, member, UINT64_MAX);
          if (!seconds) {
            return seconds.error();
          }
          profile.validity_period =
              seconds.value() == 0 || seconds.value() >= kMaxValidity ? kDefaultValidity : *seconds;
        } else if (lower == "promotecommonname") {
          auto flag = Bool(name, member);
          if (!flag) {
            return flag.error();
          }
          profile.promote_common_name = flag.value();
        } else {
          warnings->push_back(name + ": unknown key, ignored");
        }
        return {};
      });
  if (!done) {
    return common::MakeErr(done.error());
  }
  return profile;
}

// The members of the "pebble" object.
class Reader {
 public:
  explicit Reader(std::vector<std::string>* warnings) : warnings_(warnings) {}

  common::Status<std::string> Member(const std::string& key, const std::string& lower,
                                     const json& value) {
    const std::string name = "pebble." + key;
    if (lower == "listenaddress") {
      return Set(config_.listen_address, String(name, value));
    }
    if (lower == "managementlistenaddress") {
      return Set(config_.management_listen_address, String(name, value));
    }
    if (lower == "certificate") {
      return Set(config_.certificate, String(name, value));
    }
    if (lower == "privatekey") {
      return Set(config_.private_key, String(name, value));
    }
    if (lower == "httpport" || lower == "tlsport") {
      auto port = Unsigned(name, value, 65535);
      if (!port) {
        return port.error();
      }
      auto& target = lower == "httpport" ? config_.http_port : config_.tls_port;
      target = port.value() == 0
                   ? std::nullopt
                   : std::optional<std::uint16_t>(static_cast<std::uint16_t>(port.value()));
      return {};
    }
    if (lower == "ocspresponderurl") {
      return Set(config_.ocsp_responder_url, String(name, value));
    }
    if (lower == "externalaccountbindingrequired") {
      return Set(config_.external_account_binding_required, Bool(name, value));
    }
    if (lower == "externalaccountmackeys") {
      return MacKeys(name, value);
    }
    if (lower == "caaidentities") {
      return Set(config_.caa_identities, Strings(name, value));
    }
    if (lower == "domainblocklist") {
      auto names = Strings(name, value);
      if (!names) {
        return names.error();
      }
      config_.domain_blocklist.clear();
      for (const std::string& domain : names.value()) {
        config_.domain_blocklist.push_back(common::AsciiLower(domain));
      }
      return {};
    }
    if (lower == "keyalgorithm") {
      auto algorithm = String(name, value);
      if (algorithm && algorithm.value() != "rsa" && algorithm.value() != "ecdsa") {
        return name + ": expected \"rsa\" or \"ecdsa\", got " + Shown(value);
      }
      return Set(config_.key_algorithm, std::move(algorithm));
    }
    if (lower == "profiles") {
      return Profiles(name, value);
    }
    if (lower == "retryafter") {
      return RetryAfter(name, value);
    }
    if (lower == "certificatevalidityperiod") {
      return Set(config_.certificate_validity_period, Unsigned(name, value, UINT64_MAX));
    }
    warnings_->push_back(name + ": unknown key, ignored");
    return {};
  }

  PebbleConfig Take() { return std::move(config_); }

 private:
  template <typename T>
  static common::Status<std::string> Set(std::optional<T>& target,
                                         common::Result<T, std::string> parsed) {
    if (!parsed) {
      return parsed.error();
    }
    target = std::move(parsed).value();
    return {};
  }

  // Pebble: each key must be unpadded base64url, else it refuses to start.
  common::Status<std::string> MacKeys(const std::string& name, const json& value) {
    if (!value.is_object()) {
      return TypeError(name, "an object of kid → base64url key", value).value;
    }
    config_.external_account_mac_keys.clear();
    for (const auto& [kid, key] : value.items()) {
      const std::string where = name + "." + kid;
      if (!key.is_string()) {
        return TypeError(where, "a base64url string", key).value;
      }
      auto bytes = jose::Base64UrlDecode(key.get<std::string>(), kid);
      if (!bytes || bytes.value().empty()) {
        return where + ": not an unpadded base64url HMAC key (" +
               (bytes ? std::string("empty") : bytes.error().detail) + ")";
      }
      config_.external_account_mac_keys[kid] = std::move(bytes).value();
    }
    return {};
  }

  common::Status<std::string> Profiles(const std::string& name, const json& value) {
    if (!value.is_object()) {
      return TypeError(name, "an object of name → profile", value).value;
    }
    config_.profiles.clear();
    for (const auto& [profile_name, profile] : value.items()) {
      auto parsed = Profile(name + "." + profile_name, profile, warnings_);
      if (!parsed) {
        return parsed.error();
      }
      config_.profiles[profile_name] = std::move(parsed).value();
    }
    return {};
  }

  common::Status<std::string> RetryAfter(const std::string& name, const json& value) {
    if (!value.is_object()) {
      return TypeError(name, "an object {authz, order}", value).value;
    }
    return EachMember(value,
                      [&](const std::string& key, const std::string& lower,
                          const json& member) -> common::Status<std::string> {
                        const std::string where = name + "." + key;
                        if (lower == "authz") {
                          return Set(config_.retry_after_authz, Unsigned(where, member, 86400));
                        }
                        if (lower == "order") {
                          return Set(config_.retry_after_order, Unsigned(where, member, 86400));
                        }
                        warnings_->push_back(where + ": unknown key, ignored");
                        return {};
                      });
  }

  std::vector<std::string>* warnings_;
  PebbleConfig config_;
};

}  // namespace

common::Result<PebbleConfig, std::string> ParsePebbleConfig(const std::string& text,
                                                            std::vector<std::string>* warnings) {
  const auto parsed = common::ParseJson(text);
  if (!parsed) {
    return common::MakeErr("the config " + parsed.error());
  }
  const json& document = *parsed;
  if (!document.is_object()) {
    return TypeError("the config", "a JSON object {\"pebble\": {...}}", document);
  }
  const json* pebble = nullptr;
  for (const auto& [key, value] : document.items()) {
    if (common::AsciiLower(key) == "pebble") {
      pebble = &value;
    } else {
      warnings->push_back(key + ": unknown key, ignored");
    }
  }
  if (pebble == nullptr || pebble->is_null()) {
    return common::MakeErr<std::string>("no \"pebble\" object: expected {\"pebble\": {...}}");
  }
  if (!pebble->is_object()) {
    return TypeError("pebble", "an object", *pebble);
  }
  Reader reader(warnings);
  auto done = EachMember(
      *pebble, [&reader](const std::string& key, const std::string& lower, const json& value) {
        return reader.Member(key, lower, value);
      });
  if (!done) {
    return common::MakeErr(done.error());
  }
  return reader.Take();
}

common::Result<PebbleConfig, std::string> LoadPebbleConfig(const std::string& path,
                                                           std::vector<std::string>* warnings) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return common::MakeErr(path + ": cannot be read");
  }
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) {
    return common::MakeErr(path + ": cannot be read");
  }
  auto config = ParsePebbleConfig(text.str(), warnings);
  if (!config) {
    return common::MakeErr(path + ": " + config.error());
  }
  return config;
}

}  // namespace mockca::server
