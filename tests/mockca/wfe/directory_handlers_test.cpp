#include "mockca/wfe/directory_handlers.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "common/json.hpp"

namespace directory_handlers_test {

namespace {

using mockca::wfe::DirectoryJson;
using mockca::wfe::DirectoryMeta;
using nlohmann::json;

const std::string kBase = "https://ca.test:14000";

TEST_CASE("The directory meta has Pebble's defaults and omits what is not offered", "[wfe][dir]") {
  const json meta = DirectoryJson(kBase, DirectoryMeta{})["meta"];
  CHECK(meta == json{{"termsOfService", "data:text/plain,Do%20what%20thou%20wilt"},
                     {"externalAccountRequired", false}});
}

// S-PROF-01, S-DIR-07: profiles offered → meta.profiles is a {name: description} object.
TEST_CASE("The directory meta lists the profiles offered as name -> description",
          "[wfe][dir][profile]") {
  DirectoryMeta meta;
  meta.profiles = {{"shortlived", "A short-lived cert profile, without actual enforcement"},
                   {"default", "The profile you know and love"}};
  const json directory = DirectoryJson(kBase, meta);
  CHECK(directory["meta"]["profiles"] ==
        json{{"default", "The profile you know and love"},
             {"shortlived", "A short-lived cert profile, without actual enforcement"}});
  CHECK(directory["meta"]["termsOfService"].is_string());
}

}  // namespace

}  // namespace directory_handlers_test
