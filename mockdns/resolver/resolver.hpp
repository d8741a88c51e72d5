#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace mockdns::resolver {

enum class QueryType { kA, kAaaa, kTxt, kCaa };

// The answer to one lookup: the values in presentation form (A/AAAA as addresses, each TXT record
// with its character-strings joined, CAA as "flags tag value").
struct Answer {
  std::vector<std::string> values;
};

// The DNS client the VA uses (behind an interface so tests can fake it). A NOERROR reply without a
// record of the asked type is an empty Answer, not an error. Errors are c-ares's text ("Domain name
// not found", "Could not contact DNS servers" for SERVFAIL, "Timeout while contacting DNS servers",
// ...).
class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual common::Result<Answer, std::string> Lookup(const std::string& name, QueryType type) = 0;
};

struct CaresOptions {
  std::string server;  // "127.0.0.1:8053" or "[::1]:8053"
  bool tcp = false;    // ARES_FLAG_USEVC: every query over TCP
  std::chrono::milliseconds timeout{2000};
  int tries = 2;
};

// A blocking resolver over c-ares 1.18, asking only options.server. One query at a time per
// object; not thread-safe (give each thread its own).
class CaresResolver final : public Resolver {
 public:
  static common::Result<std::unique_ptr<CaresResolver>, std::string> Create(
      const CaresOptions& options);
  ~CaresResolver() override;
  CaresResolver(const CaresResolver&) = delete;
  CaresResolver& operator=(const CaresResolver&) = delete;

  common::Result<Answer, std::string> Lookup(const std::string& name, QueryType type) override;

 private:
  explicit CaresResolver(void* channel) : channel_(channel) {}
  void* channel_;  // ares_channel
};

}  // namespace mockdns::resolver
