#include "interpreter/context.hpp"

namespace regimen::lua {

void set_functions(lua_State* L, Context& context, const luaL_Reg* functions) {
  lua_pushlightuserdata(L, &context);
  luaL_setfuncs(L, functions, 1);
}

Context& context_of(lua_State* L) { return *static_cast<Context*>(lua_touserdata(L, lua_upvalueindex(1))); }

}  // namespace regimen::lua
