#pragma once
// recipe{batch_size = "auto", memory_budget = "256MB"}: the batch size picked from the built
// model's memory per sample (runtime/train/auto_batch_size.hpp).
#include <lua.hpp>

#include "interpreter/recipe.hpp"

namespace regimen::lua {

/// The memory budget when memory_budget is absent.
inline constexpr const char* kDefaultMemoryBudget = "256MB";

/// When the recipe table at `table` says batch_size = "auto", sets recipe.config.batch_size and
/// recipe.auto_batch_size from memory_budget (recipe{} checked the types). Call once the model
/// is built. Raises at the recipe line for a size it cannot read or a budget too small.
void resolve_auto_batch_size(lua_State* L, int table, Recipe& recipe);

}  // namespace regimen::lua
