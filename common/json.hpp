#pragma once

// nlohmann/json for every Anvil source: include this instead of <nlohmann/json.hpp>. It declares
// the library's main class templates for nlohmann::json as explicitly instantiated elsewhere
// (common/json_instantiation.cpp), so that a translation unit compiles only the members it calls
// that are templates themselves, not its own copy of the whole class. Under ASan + UBSan the copy
// was a third of a test file's compile time (fault_rule_test.cpp: 10 s -> 6.7 s with gcc 12).
// Optimised builds still inline the members: the declarations only stop the copies being emitted.

#include <string>

#include <nlohmann/json.hpp>

// ANVIL_JSON_TEMPLATES(extern) declares the instantiations, ANVIL_JSON_TEMPLATES() defines them.
// The lexer and parser are those of json::parse from a string, a string_view or a char pointer.
// (iter_impl<json> is left out: some of its members do not compile for the non-const iterator.)
#define ANVIL_JSON_TEMPLATES(kind)                                                            \
  kind template class nlohmann::basic_json<>;                                                 \
  kind template class nlohmann::detail::iter_impl<const nlohmann::json>;                      \
  kind template class nlohmann::detail::serializer<nlohmann::json>;                           \
  kind template class nlohmann::detail::json_sax_dom_parser<nlohmann::json>;                  \
  kind template class nlohmann::detail::json_sax_dom_callback_parser<nlohmann::json>;         \
  kind template class nlohmann::detail::lexer<                                                \
      nlohmann::json, nlohmann::detail::iterator_input_adapter<const char*>>;                 \
  kind template class nlohmann::detail::parser<                                               \
      nlohmann::json, nlohmann::detail::iterator_input_adapter<const char*>>;                 \
  kind template class nlohmann::detail::lexer<                                                \
      nlohmann::json, nlohmann::detail::iterator_input_adapter<std::string::const_iterator>>; \
  kind template class nlohmann::detail::parser<                                               \
      nlohmann::json, nlohmann::detail::iterator_input_adapter<std::string::const_iterator>>;

ANVIL_JSON_TEMPLATES(extern)
