#include "interpreter/read_only.hpp"

#include <string>

#include "interpreter/lua_error.hpp"

namespace regimen::lua {
namespace {

// Registry table: real table -> its proxy (weak keys, so nothing is kept alive by it).
constexpr const char* kProxiesKey = "regimen.read_only";
constexpr const char* kLocked = "locked";

int refuse_write(lua_State* L) {
  const char* label = lua_tostring(L, lua_upvalueindex(1));
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2);
  char message[200];
  std::snprintf(message, sizeof message, "'%s' is read-only: cannot set field '%.60s'", label, key);
  raise(L, message);
}

int next_of_real(lua_State* L) {
  lua_pushcfunction(L, [](lua_State* S) -> int {
    lua_settop(S, 2);
    return lua_next(S, 1) ? 2 : (lua_pushnil(S), 1);
  });
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushnil(L);
  return 3;
}

int length_of_real(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, lua_upvalueindex(1))));
  return 1;
}

void push_proxies(lua_State* L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, kProxiesKey) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_newtable(L);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kProxiesKey);
}

// Replaces the table at `index` on the stack by its proxy; `label` names it in messages.
void to_proxy(lua_State* L, int index, const std::string& label) {
  index = lua_absindex(L, index);
  push_proxies(L);
  const int proxies = lua_gettop(L);
  lua_pushvalue(L, index);
  if (lua_rawget(L, proxies) == LUA_TTABLE) {  // already made
    lua_replace(L, index);
    lua_settop(L, proxies - 1);
    return;
  }
  lua_pop(L, 1);
  // Fields first, so that nested tables are proxies when read through this one.
  for (lua_pushnil(L); lua_next(L, index) != 0; lua_pop(L, 1)) {
    if (lua_type(L, -1) != LUA_TTABLE || lua_type(L, -2) != LUA_TSTRING) continue;
    const std::string inner = label + "." + lua_tostring(L, -2);
    to_proxy(L, -1, inner);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -2);
    lua_rawset(L, index);
  }
  lua_newtable(L);  // the proxy
  lua_createtable(L, 0, 5);
  lua_pushvalue(L, index);
  lua_setfield(L, -2, "__index");
  lua_pushlstring(L, label.data(), label.size());
  lua_pushcclosure(L, refuse_write, 1);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, index);
  lua_pushcclosure(L, next_of_real, 1);
  lua_setfield(L, -2, "__pairs");
  lua_pushvalue(L, index);
  lua_pushcclosure(L, length_of_real, 1);
  lua_setfield(L, -2, "__len");
  lua_pushstring(L, kLocked);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, index);
  lua_pushvalue(L, -2);
  lua_rawset(L, proxies);
  lua_replace(L, index);
  lua_settop(L, proxies - 1);
}

// rawset() would write into a proxy itself, shadowing the real table's field.
int checked_rawset(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (lua_getmetatable(L, 1)) {
    const bool locked = lua_getfield(L, -1, "__metatable") == LUA_TSTRING && std::string(lua_tostring(L, -1)) == kLocked;
    lua_pop(L, 2);
    if (locked) raise(L, "rawset: the table is read-only");
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

}  // namespace

void guard_rawset(lua_State* L) {
  lua_getglobal(L, "rawset");
  lua_pushcclosure(L, checked_rawset, 1);
  lua_setglobal(L, "rawset");
}

void make_global_read_only(lua_State* L, const char* name) {
  if (lua_getglobal(L, name) == LUA_TTABLE) {
    to_proxy(L, -1, name);
    lua_setglobal(L, name);
    return;
  }
  lua_pop(L, 1);
}

void make_field_read_only(lua_State* L, int table, const char* name) {
  table = lua_absindex(L, table);
  if (lua_getfield(L, table, name) == LUA_TTABLE) {
    to_proxy(L, -1, name);
    lua_setfield(L, table, name);
    return;
  }
  lua_pop(L, 1);
}

void lock_metatables(lua_State* L) {
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_pushstring(L, kLocked);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  // Every metatable registered under a "regimen." name (userdata types, recipes).
  for (lua_pushnil(L); lua_next(L, LUA_REGISTRYINDEX) != 0; lua_pop(L, 1)) {
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TTABLE) continue;
    const char* key = lua_tostring(L, -2);
    if (std::string(key).rfind("regimen.", 0) != 0 || std::string(key) == kProxiesKey) continue;
    if (lua_getfield(L, -1, "__name") != LUA_TSTRING) {  // a metatable made by luaL_newmetatable
      lua_pop(L, 1);
      continue;
    }
    lua_pop(L, 1);
    lua_pushstring(L, kLocked);
    lua_setfield(L, -2, "__metatable");
  }
}

}  // namespace regimen::lua
