#pragma once
// The on_nan half of resolving a recipe: `on_nan = {"skip", "halve_lr", "rollback", "stop"}` and
// `loss_spike = k` into the trainer's config (runtime/train/nan_policy.hpp). stdlib/regimen/recipe.lua
// has checked the shape already; this re-checks what it reads, so a table edited after recipe{...}
// still fails cleanly.
#include <lua.hpp>

#include "interpreter/recipe.hpp"

namespace regimen::lua {

/// Reads recipe{on_nan = ..., loss_spike = ...} from the recipe table at `table` into
/// recipe.config.on_nan. Runs inside resolve_recipe's protected call; raises at the recipe line:
/// "recipe.lua:9: recipe: on_nan: unknown action 'halve' (did you mean 'halve_lr'?)".
void read_on_nan(lua_State* L, int table, Recipe& recipe);

/// "skip, halve_lr, stop", for `regimen check`.
std::string describe_on_nan(const train::NanLadder& ladder);

}  // namespace regimen::lua
