#pragma once
// sweep{...}'s table, tagged by the stdlib (stdlib/regimen/sweep.lua), read into the public
// SweepDeclaration that `regimen sweep FILE` turns into its options.
#include <string>

#include <lua.hpp>

#include "regimen/interpreter.hpp"

namespace regimen::lua {

/// Metatable that sweep{...} puts on its result.
inline constexpr const char* kSweepMetatable = "regimen.Sweep";

/// Whether the value at `index` is a sweep{...} declaration.
bool is_sweep(lua_State* L, int index);

/// Reads the declaration at `index` (sweep{} checked its shape) with raw accesses only, so it
/// cannot raise; a relative recipe path is resolved against `folder`.
SweepDeclaration read_sweep(lua_State* L, int index, const std::string& folder);

}  // namespace regimen::lua
