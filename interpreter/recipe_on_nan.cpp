#include "interpreter/recipe_on_nan.hpp"

#include <exception>
#include <string>

#include "interpreter/suggest.hpp"
#include "runtime/option_check.hpp"

namespace regimen::lua {

void read_on_nan(lua_State* L, int table, Recipe& recipe) {
  train::NanLadder ladder;
  if (lua_getfield(L, table, "on_nan") == LUA_TTABLE) {
    const int list = lua_gettop(L);
    for (lua_Integer i = 1, n = static_cast<lua_Integer>(lua_rawlen(L, list)); i <= n; ++i) {
      lua_rawgeti(L, list, i);
      const std::string name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
      lua_pop(L, 1);
      const auto action = train::parse_nan_action(name);
      if (!action)
        fail_recipe(L, recipe, "on_nan: unknown action '" + name + "'" + did_you_mean(name, train::nan_action_names()));
      ladder.actions.push_back(*action);
    }
  }
  lua_pop(L, 1);
  if (lua_getfield(L, table, "loss_spike") == LUA_TNUMBER) ladder.loss_spike = lua_tonumber(L, -1);
  lua_pop(L, 1);
  std::string failure;
  try {
    const train::NanPolicy check(ladder);  // a repeated action, a bad factor
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (!failure.empty()) fail_recipe(L, recipe, failure);
  recipe.config.on_nan = std::move(ladder);
}

std::string describe_on_nan(const train::NanLadder& ladder) {
  std::string text;
  for (const train::NanAction action : ladder.actions)
    text += (text.empty() ? "" : ", ") + std::string(train::nan_action_name(action));
  if (ladder.loss_spike) text += "; a loss over " + format_number(*ladder.loss_spike) + " x its running median too";
  return text;
}

}  // namespace regimen::lua
