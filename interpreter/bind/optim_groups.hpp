#pragma once
// `groups = {...}` in any optim.* constructor (optim/grouped_optimizer.hpp has the semantics).
#include <lua.hpp>

namespace regimen::lua {

/// Runs the optim.* constructor `make` on the options table at index 1. With a `groups` field,
/// builds the default group from the options without it and each group from the options
/// overlaid with the group's own (every key but match, layer, ndim), and pushes a grouped
/// optimizer; without, returns make(L). Must be called from a function whose first upvalue is
/// the Context, as `make` expects.
int make_with_groups(lua_State* L, lua_CFunction make);

}  // namespace regimen::lua
