#include "interpreter/require.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>

#include "interpreter/lua_error.hpp"
#include "interpreter/stdlib_sources.hpp"

namespace regimen::lua {
namespace {


// Module names are dotted identifiers; anything else (slashes, "..", absolute paths) is refused.
bool valid_module_name(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  char previous = 0;
  for (char c : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    if (!ok || (c == '.' && previous == '.')) return false;
    previous = c;
  }
  return true;
}

// Pushes the loaded chunk for `name`, or raises.
void load_module(lua_State* L, const Context& context, const std::string& name) {
  for (const auto& source : stdlib_sources()) {
    if (name == source.module) {
      const std::string chunk_name = std::string(kStdlibChunkPrefix) + name;
      if (luaL_loadbufferx(L, source.text, source.size, chunk_name.c_str(), "t") != LUA_OK) lua_error(L);
      return;
    }
  }
  std::string relative = name;
  for (char& c : relative)
    if (c == '.') c = '/';
  const std::filesystem::path path = std::filesystem::path(context.recipe_dir) / (relative + ".lua");
  if (!std::filesystem::is_regular_file(path)) {
    raise(L, "module '" + name + "' not found: no stdlib module of that name and no file '" + path.string() + "'");
  }
  // A symbolic link out of the folder would let a recipe read any file (its first line comes
  // back in the syntax error); in the sandbox the module must really live under the folder.
  if (!context.trusted) {
    std::error_code error;
    const auto folder = std::filesystem::canonical(context.recipe_dir, error);
    const auto file = std::filesystem::canonical(path, error);
    const auto inside = std::mismatch(folder.begin(), folder.end(), file.begin(), file.end());
    if (error || inside.first != folder.end())
      raise(L, "module '" + name + "': '" + path.string() + "' leads outside the recipe's folder");
  }
  if (luaL_loadfilex(L, path.c_str(), "t") != LUA_OK) lua_error(L);
}

int require(lua_State* L) {
  const std::string name = luaL_checkstring(L, 1);
  if (!valid_module_name(name)) {
    raise(L, "require: bad module name '" + name + "' (use dotted names of .lua files beside the recipe)");
  }
  lua_getfield(L, LUA_REGISTRYINDEX, kLoadedKey);
  if (lua_getfield(L, -1, name.c_str()) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  load_module(L, context_of(L), name);
  lua_pushstring(L, name.c_str());
  lua_call(L, 1, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, name.c_str());
  return 1;
}

}  // namespace

void install_require(lua_State* L, Context& context, int regimen_module) {
  regimen_module = lua_absindex(L, regimen_module);
  lua_newtable(L);
  lua_pushvalue(L, regimen_module);
  lua_setfield(L, -2, "regimen");
  lua_setfield(L, LUA_REGISTRYINDEX, kLoadedKey);
  lua_pushlightuserdata(L, &context);
  lua_pushcclosure(L, require, 1);
  lua_setglobal(L, "require");
}

}  // namespace regimen::lua
