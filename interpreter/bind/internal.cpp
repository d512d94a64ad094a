// regimen.internal: the few C helpers the Lua stdlib builds on. Not part of the DSL surface.
#include <string>
#include <vector>

#include "interpreter/bind/stop_rules.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/recipe.hpp"
#include "interpreter/host_binding.hpp"
#include "interpreter/suggest.hpp"
#include "interpreter/sweep_declaration.hpp"
#include "interpreter/userdata.hpp"

namespace regimen::lua {
namespace {

// check_options(t, function_name, {known...}): every string key of t must be known.
int check_options(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const std::string function = luaL_checkstring(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  std::vector<std::string> known;
  for (lua_Integer i = 1, n = luaL_len(L, 3); i <= n; ++i) {
    lua_geti(L, 3, i);
    known.emplace_back(luaL_checkstring(L, -1));
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) raise(L, function + ": options must be named (write {name = value})");
    const std::string key = lua_tostring(L, -1);
    bool found = false;
    for (const auto& name : known) found = found || key == name;
    if (!found) raise(L, function + ": unknown option '" + key + "'" + did_you_mean(key, known));
  }
  return 0;
}

// fail(message): raises message at the recipe line that called into the stdlib.
int fail(lua_State* L) { raise(L, luaL_checkstring(L, 1)); }

// suggest(word, {known...}): " (did you mean 'x'?)" for the closest known word, else "".
int suggest(lua_State* L) {
  const std::string word = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  std::vector<std::string> known;
  for (lua_Integer i = 1, n = luaL_len(L, 2); i <= n; ++i) {
    lua_geti(L, 2, i);
    known.emplace_back(luaL_checkstring(L, -1));
    lua_pop(L, 1);
  }
  const std::string hint = did_you_mean(word, known);
  lua_pushlstring(L, hint.data(), hint.size());
  return 1;
}

// Tags the table argument with `metatable` and records where it was declared.
int mark_declaration(lua_State* L, const char* metatable) {
  luaL_checktype(L, 1, LUA_TTABLE);
  std::string where = user_where(L);
  if (where.size() >= 2) where.resize(where.size() - 2);  // drop the trailing ": "
  lua_pushlstring(L, where.data(), where.size());
  lua_setfield(L, 1, kRecipeWhereField);
  luaL_setmetatable(L, metatable);
  lua_settop(L, 1);
  return 1;
}

// mark_recipe(t): tags t as a recipe.
int mark_recipe(lua_State* L) { return mark_declaration(L, kRecipeMetatable); }

// mark_sweep(t): tags t as a sweep declaration.
int mark_sweep(lua_State* L) { return mark_declaration(L, kSweepMetatable); }

// is_external_model(m): true for host.model(...), which brings its own loss and may train
// without data.
int is_external_model(lua_State* L) {
  const ModelBox* model = test_object<ModelBox>(L, 1, kModelType);
  lua_pushboolean(L, model != nullptr && external_layer_of(**model) != nullptr);
  return 1;
}

const luaL_Reg kFunctions[] = {
    {"check_options", check_options}, {"fail", fail}, {"mark_recipe", mark_recipe}, {"mark_sweep", mark_sweep},
    {"is_external_model", is_external_model},
    {"stop_rules", stop_rules}, {"suggest", suggest}, {nullptr, nullptr}};

}  // namespace

int open_internal(lua_State* L, Context& context) {
  for (const auto& [metatable, name] : {std::pair{kRecipeMetatable, "recipe"}, std::pair{kSweepMetatable, "sweep"}}) {
    luaL_newmetatable(L, metatable);
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
  }
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
