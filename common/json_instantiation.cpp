// The one definition of the nlohmann/json instantiations common/json.hpp declares.
#include "common/json.hpp"

ANVIL_JSON_TEMPLATES()
