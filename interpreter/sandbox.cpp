#include "interpreter/sandbox.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "interpreter/lua_error.hpp"
#include "interpreter/pattern_guard.hpp"
#include "interpreter/read_only.hpp"
#include "interpreter/require.hpp"
#include "interpreter/suggest.hpp"

namespace regimen::lua {
namespace {

constexpr const char* kTrustedOnly[] = {"io", "debug", "package", "dofile", "loadfile", "require_native"};

// The sandbox's os: time and clock (a recipe may time itself); anything else is refused by name.
int refuse_os_field(lua_State* L) {
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
  raise(L, std::string("'os.") + key +
               "' is not available in the sandbox (only os.time and os.clock; run with --trusted to allow it)");
}

void open_os_subset(lua_State* L) {
  luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
  lua_createtable(L, 0, 2);
  for (const char* name : {"time", "clock"}) {
    lua_getfield(L, -2, name);
    lua_setfield(L, -2, name);
  }
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, refuse_os_field);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setglobal(L, LUA_OSLIBNAME);
  lua_pop(L, 1);
  // luaL_requiref left the whole library in package.loaded-less registry._LOADED; drop it.
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushnil(L);
  lua_setfield(L, -2, LUA_OSLIBNAME);
  lua_pop(L, 1);
}

// load() with the mode forced to text: precompiled chunks can break the VM's invariants.
int load_text_only(lua_State* L) {
  lua_settop(L, 4);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushliteral(L, "t");
  lua_pushvalue(L, 4);
  lua_call(L, 4, LUA_MULTRET);
  return lua_gettop(L) - 4;
}

// collectgarbage() limited to queries: a recipe must not stop or tune the collector.
int collectgarbage_count(lua_State* L) {
  const char* option = luaL_optstring(L, 1, "count");
  if (std::strcmp(option, "count") != 0)
    raise(L, std::string("collectgarbage: option '") + option + "' is not available in the sandbox (only 'count')");
  lua_pushnumber(L, static_cast<lua_Number>(lua_gc(L, LUA_GCCOUNT, 0)) + lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
  return 1;
}

// The tables a recipe shares with the stdlib and the runtime, read-only in the sandbox.
constexpr const char* kSharedTables[] = {"string", "table", "math", "utf8", "coroutine", "os",
                                         "schedule", "optim", "nn", "loss", "reg", "data",
                                         "clip", "tensor", "augment"};

void open(lua_State* L, const char* name, lua_CFunction opener) {
  luaL_requiref(L, name, opener, 1);
  lua_pop(L, 1);
}

int undefined_global(lua_State* L) {
  const bool trusted = lua_toboolean(L, lua_upvalueindex(1));
  const char* name = lua_tostring(L, 2);
  if (name == nullptr) return 0;
  if (!trusted) {
    for (const char* restricted : kTrustedOnly) {
      if (std::strcmp(name, restricted) == 0)
        raise(L, std::string("'") + name + "' is not available in the sandbox (run with --trusted to allow it)");
    }
  }
  std::vector<std::string> globals;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) globals.emplace_back(lua_tostring(L, -1));
  }
  const std::string hint = did_you_mean(name, globals);
  raise(L, std::string("undefined global '") + name + "'" + hint);
}

}  // namespace

void open_libraries(lua_State* L, bool trusted) {
  if (trusted) {
    luaL_openlibs(L);
    return;
  }
  open(L, LUA_GNAME, luaopen_base);
  open(L, LUA_STRLIBNAME, luaopen_string);
  open(L, LUA_TABLIBNAME, luaopen_table);
  open(L, LUA_MATHLIBNAME, luaopen_math);
  open(L, LUA_UTF8LIBNAME, luaopen_utf8);
  open(L, LUA_COLIBNAME, luaopen_coroutine);
  open_os_subset(L);

  lua_pushglobaltable(L);
  for (const char* name : {"dofile", "loadfile"}) {
    lua_pushnil(L);
    lua_setfield(L, -2, name);
  }
  lua_getfield(L, -1, "load");
  lua_pushcclosure(L, load_text_only, 1);
  lua_setfield(L, -2, "load");
  lua_pushcfunction(L, collectgarbage_count);
  lua_setfield(L, -2, "collectgarbage");
  lua_getfield(L, -1, "string");
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 2);
}

void seal_sandbox(lua_State* L) {
  guard_patterns(L);  // before string becomes a proxy: the strings' metatable shares its functions
  guard_rawset(L);
  for (const char* name : kSharedTables) make_global_read_only(L, name);
  lua_getfield(L, LUA_REGISTRYINDEX, kLoadedKey);  // require's cache: require "regimen" and stdlib modules
  for (lua_pushnil(L); lua_next(L, -2) != 0; lua_pop(L, 1)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
      lua_pushvalue(L, -2);
      make_field_read_only(L, -4, lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  lock_metatables(L);
}

void guard_globals(lua_State* L, bool trusted) {
  lua_pushglobaltable(L);
  lua_newtable(L);
  lua_pushboolean(L, trusted);
  lua_pushcclosure(L, undefined_global, 1);
  lua_setfield(L, -2, "__index");
  if (!trusted) {  // the guard must not be removable
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
  }
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
}

}  // namespace regimen::lua
