#include "interpreter/sweep_declaration.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>

#include "interpreter/recipe.hpp"

namespace regimen::lua {
namespace {

// The text `--set` or `--grid` would carry: integers as such, other numbers in their shortest
// form that reads back the same (1e-3 is "0.001").
std::string value_text(lua_State* L, int index) {
  if (lua_isinteger(L, index)) return std::to_string(lua_tointeger(L, index));
  if (lua_type(L, index) == LUA_TNUMBER) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, lua_tonumber(L, index)).ptr;
    return std::string(text, end);
  }
  if (lua_type(L, index) == LUA_TBOOLEAN) return lua_toboolean(L, index) ? "true" : "false";
  std::size_t length = 0;
  const char* text = lua_tolstring(L, index, &length);  // a string: sweep{} allowed nothing else
  return std::string(text, length);
}

// The entries of the table field `key` (string keys), sorted by key; `read` gets each value's index.
template <typename Read>
auto named_entries(lua_State* L, int table, const char* key, Read read) {
  std::map<std::string, decltype(read(0))> entries;
  lua_pushstring(L, key);
  if (lua_rawget(L, table) == LUA_TTABLE) {
    const int named = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, named) != 0) {
      entries.emplace(lua_tostring(L, -2), read(lua_gettop(L)));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return std::vector<std::pair<std::string, decltype(read(0))>>(entries.begin(), entries.end());
}

std::vector<std::string> list_texts(lua_State* L, int list) {
  std::vector<std::string> texts;
  for (lua_Integer i = 1; lua_rawgeti(L, list, i) != LUA_TNIL; ++i) {
    texts.push_back(value_text(L, -1));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return texts;
}

std::string field_text(lua_State* L, int table, const char* key) {
  lua_pushstring(L, key);
  const bool present = lua_rawget(L, table) != LUA_TNIL;
  std::string text = present ? value_text(L, -1) : "";
  lua_pop(L, 1);
  return text;
}

}  // namespace

bool is_sweep(lua_State* L, int index) { return is_tagged(L, index, kSweepMetatable); }

SweepDeclaration read_sweep(lua_State* L, int index, const std::string& folder) {
  const int table = lua_absindex(L, index);
  SweepDeclaration sweep;
  sweep.where = field_text(L, table, kRecipeWhereField);
  const std::filesystem::path recipe = field_text(L, table, "recipe");
  sweep.recipe = (recipe.is_absolute() ? recipe : std::filesystem::path(folder) / recipe).lexically_normal().string();
  sweep.grid = named_entries(L, table, "grid", [L](int at) { return list_texts(L, at); });
  sweep.ranges = named_entries(L, table, "range", [L](int at) {
    std::string spec;  // LOW:HIGH[:SCALE], as --range takes it
    for (const auto& text : list_texts(L, at)) spec += (spec.empty() ? "" : ":") + text;
    return spec;
  });
  sweep.sets = named_entries(L, table, "set", [L](int at) { return value_text(L, at); });
  for (const char* key : {"random", "seed", "metric", "mode", "prune", "warmup", "jobs", "threads", "ranks_per_trial", "out"}) {
    std::string text = field_text(L, table, key);
    std::string option = key;  // the command line's name: ranks_per_trial is --ranks-per-trial
    std::replace(option.begin(), option.end(), '_', '-');
    if (!text.empty()) sweep.options.emplace_back(std::move(option), std::move(text));
  }
  return sweep;
}

}  // namespace regimen::lua
