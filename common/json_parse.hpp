#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/json.hpp"
#include "common/result.hpp"

namespace common {

// Arrays and objects nested deeper than this are refused in outside JSON (README "Limits"). No
// ACME, management or config document needs more than a handful of levels, and nlohmann copies,
// compares and serialises recursively: a tree thousands of levels deep overflows a thread's stack.
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses JSON that came from outside. The error says why, for a problem's detail: "is not valid
// JSON" or "nests arrays and objects deeper than 64 levels" (put the subject in front of it).
Result<nlohmann::json, std::string> ParseJson(std::string_view text);

// How deeply the arrays and objects of a text nest (brackets inside strings do not count); a
// text that is not JSON gets a number all the same. Stops counting at limit + 1.
std::size_t JsonNestingDepth(std::string_view text, std::size_t limit = kMaxJsonDepth);

// The string member name of object, or "" when object has none or it is not a string.
std::string StringMemberOrEmpty(const nlohmann::json& object, const char* name);

}  // namespace common
