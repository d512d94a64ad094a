#pragma once
// require() for recipes: embedded stdlib modules first, then .lua files in the recipe's own
// folder (and below it). Nothing else: no C modules, no search path, no escape with "..".
#include <lua.hpp>

#include "interpreter/context.hpp"

namespace regimen::lua {

/// Registry field of require's cache: module name -> what the module returned.
inline constexpr const char* kLoadedKey = "regimen.loaded";

/// Installs the global `require`; `regimen_module` is the stack index of the table that
/// `require "regimen"` returns.
void install_require(lua_State* L, Context& context, int regimen_module);

}  // namespace regimen::lua
