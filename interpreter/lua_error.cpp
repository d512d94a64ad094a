#include "interpreter/lua_error.hpp"

#include <cstring>

namespace regimen::lua {
namespace {

constexpr const char* kRuntimeFailureKey = "regimen.runtime_failure";

bool is_stdlib(const lua_Debug& ar) {
  return std::strncmp(ar.source, kStdlibChunkPrefix, std::strlen(kStdlibChunkPrefix)) == 0;
}

}  // namespace

std::string user_where(lua_State* L, int first_level) {
  lua_Debug ar;
  for (int level = first_level; lua_getstack(L, level, &ar); ++level) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0 && !is_stdlib(ar)) return std::string(ar.short_src) + ":" + std::to_string(ar.currentline) + ": ";
  }
  return "";
}

// Leaves "where" .. message on the stack; the std::string is gone before any error is raised.
static void push_located(lua_State* L, const char* message) {
  {
    const std::string where = user_where(L);
    lua_pushlstring(L, where.data(), where.size());
  }
  lua_pushstring(L, message);
  lua_concat(L, 2);
}

void raise(lua_State* L, const char* message) {
  push_located(L, message);
  lua_error(L);
  __builtin_unreachable();
}

void raise_as_is(lua_State* L, const char* message) {
  lua_pushstring(L, message);
  lua_error(L);
  __builtin_unreachable();
}

void mark_runtime_failure(lua_State* L) {
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kRuntimeFailureKey);
}

void raise_runtime(lua_State* L, const char* message) {
  push_located(L, message);
  mark_runtime_failure(L);
  lua_error(L);
  __builtin_unreachable();
}

bool is_runtime_failure(lua_State* L, const std::string& message) {
  lua_getfield(L, LUA_REGISTRYINDEX, kRuntimeFailureKey);
  size_t size = 0;
  const char* recorded = lua_tolstring(L, -1, &size);
  const bool same = recorded != nullptr && message.find(std::string(recorded, size)) != std::string::npos;
  lua_pop(L, 1);
  return same;
}

}  // namespace regimen::lua
