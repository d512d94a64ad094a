#pragma once
// Long-lived C++ objects held by Lua: placement-new into a full userdata with a named
// metatable, destroyed by __gc. Lua owns the memory; C++ owns the object's invariants.
#include <new>
#include <utility>

#include <lua.hpp>

namespace regimen::lua {

/// Calls T's destructor when Lua collects the userdata.
template <typename T>
int destroy(lua_State* L) {
  if (void* p = lua_touserdata(L, 1)) {
    static_cast<T*>(p)->~T();
    // Mark as dead so a resurrected reference cannot reach a destroyed object.
    lua_pushnil(L);
    lua_setmetatable(L, 1);
  }
  return 0;
}

/// Creates metatable `name` (once) with __gc and __index pointing at `methods`, and
/// `extra` metamethods; leaves nothing on the stack.
template <typename T>
void define_type(lua_State* L, const char* name, const luaL_Reg* methods, const luaL_Reg* metamethods = nullptr) {
  if (!luaL_newmetatable(L, name)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushcfunction(L, destroy<T>);
  lua_setfield(L, -2, "__gc");
  lua_pushstring(L, name);
  lua_setfield(L, -2, "__name");
  if (methods) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
  }
  if (metamethods) luaL_setfuncs(L, metamethods, 0);
  lua_pop(L, 1);
}

/// Pushes a new userdata holding T(args...) with metatable `name` (defined earlier).
template <typename T, typename... Args>
T& push_object(lua_State* L, const char* name, Args&&... args) {
  void* p = lua_newuserdatauv(L, sizeof(T), 1);
  T* object = new (p) T(std::forward<Args>(args)...);
  luaL_setmetatable(L, name);
  return *object;
}

/// The T at `index` if it carries metatable `name`, else nullptr.
template <typename T>
T* test_object(lua_State* L, int index, const char* name) {
  return static_cast<T*>(luaL_testudata(L, index, name));
}

/// The T at `index`; raises Lua's "bad argument" error otherwise.
template <typename T>
T& check_object(lua_State* L, int index, const char* name) {
  return *static_cast<T*>(luaL_checkudata(L, index, name));
}

}  // namespace regimen::lua
