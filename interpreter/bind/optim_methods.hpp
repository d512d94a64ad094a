#pragma once
// The methods of an optimizer object (opt:step, opt:save_state, opt:load_state), kept apart
// from the constructors in bind/optim.cpp.
#include <string_view>

#include <lua.hpp>

namespace regimen::lua {

/// Pushes the optimizer method named `key` and returns true; false (pushing nothing) for other keys.
bool push_optimizer_method(lua_State* L, std::string_view key);

}  // namespace regimen::lua
