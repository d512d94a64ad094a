#include "interpreter/recipe_batch_size.hpp"

#include <cstdio>
#include <exception>
#include <string>

#include "runtime/byte_size.hpp"

namespace regimen::lua {

void resolve_auto_batch_size(lua_State* L, int table, Recipe& recipe) {
  const bool automatic = lua_getfield(L, table, "batch_size") == LUA_TSTRING;
  lua_pop(L, 1);
  if (!automatic) return;
  std::string text = kDefaultMemoryBudget;
  const int type = lua_getfield(L, table, "memory_budget");
  if (type == LUA_TNUMBER) {
    text = std::to_string(lua_tointeger(L, -1));
  } else if (type == LUA_TSTRING) {
    text = lua_tostring(L, -1);
  }
  lua_pop(L, 1);
  const auto budget = parse_byte_size(text);
  if (!budget || *budget == 0) {
    fail_recipe(L, recipe, "memory_budget: cannot read '" + text + "' as a size; write it as \"256MB\", \"1.5GB\" or \"512KB\"");
  }
  char failure[512] = "";
  try {
    recipe.auto_batch_size = train::pick_batch_size(*recipe.model, recipe.train.target_columns(), recipe.train.size(),
                                                    static_cast<std::size_t>(*budget));
    recipe.config.batch_size = recipe.auto_batch_size->batch_size;
  } catch (const std::exception& e) {
    std::snprintf(failure, sizeof failure, "batch_size \"auto\": %s", e.what());
  }
  if (failure[0] != '\0') fail_recipe(L, recipe, failure);
}

}  // namespace regimen::lua
