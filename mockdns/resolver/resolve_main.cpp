// mockdns-resolve: asks one DNS server one question through c-ares (the VA's resolver) and prints
// each value on its own line; used by the end-to-end tests and handy for debugging a zone.
//   mockdns-resolve -server 127.0.0.1:8053 [-tcp] -type TXT _acme-challenge.example.com
#include <iostream>
#include <map>
#include <string>

#include "common/flag_set.hpp"
#include "mockdns/resolver/resolver.hpp"

int main(int argc, char** argv) {
  std::string server = "127.0.0.1:8053", type = "A";
  bool tcp = false;
  // The last argument is the name; the flags come before it.
  if (argc < 2 || argv[argc - 1][0] == '-') {
    std::cerr << "usage: mockdns-resolve -server HOST:PORT [-tcp] -type A|AAAA|TXT|CAA NAME\n";
    return 2;
  }
  common::FlagSet flags("mockdns-resolve");
  flags.String({"server"}, &server, "DNS server to ask");
  flags.String({"type"}, &type, "A, AAAA, TXT or CAA");
  flags.Bool({"tcp"}, &tcp, "Ask over TCP");
  if (auto parsed = flags.Parse(argc - 1, argv); !parsed) {
    std::cerr << parsed.error() << "\n" << flags.Usage();
    return 2;
  }
  static const std::map<std::string, mockdns::resolver::QueryType> kTypes = {
      {"A", mockdns::resolver::QueryType::kA},
      {"AAAA", mockdns::resolver::QueryType::kAaaa},
      {"TXT", mockdns::resolver::QueryType::kTxt},
      {"CAA", mockdns::resolver::QueryType::kCaa}};
  const auto found = kTypes.find(type);
  if (found == kTypes.end()) {
    std::cerr << "unknown type " << type << "\n";
    return 2;
  }
  auto resolver = mockdns::resolver::CaresResolver::Create({server, tcp});
  if (!resolver) {
    std::cerr << resolver.error() << "\n";
    return 1;
  }
  auto answer = resolver.value()->Lookup(argv[argc - 1], found->second);
  if (!answer) {
    std::cout << "error: " << answer.error() << "\n";
    return 3;
  }
  for (const auto& value : answer->values) {
    std::cout << value << "\n";
  }
  return 0;
}
