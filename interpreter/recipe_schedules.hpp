#pragma once
// The schedule half of resolving a recipe: a batch size given as a schedule, the schedules
// given in the run's units ("5 epochs", "10%", by = "epoch", one_cycle without total_steps)
// built for the planned run, the plan handed to Lua schedules' ctx, and every metric a
// stateful schedule follows (plateau's monitor) checked against what the run reports.
#include <lua.hpp>

#include "interpreter/recipe.hpp"

namespace regimen::lua {

/// recipe{batch_size = schedule or function}: sets config.batch_size_schedule (the number form
/// is read by resolve_recipe). Runs inside resolve_recipe's protected call; raises at the
/// recipe line.
void read_batch_size_schedule(lua_State* L, int table, Recipe& recipe);

/// Builds the run's deferred schedules for the planned run, records the plan for ctx, sets each
/// scheduled value to its value at step 0, and checks the monitors. Call once the model is
/// built. Raises at the recipe line, or at the line that made a schedule whose length came
/// out invalid ("recipe.lua:3: schedule.cosine: T_max must be > 0, got 0").
void resolve_schedules(lua_State* L, Recipe& recipe);

}  // namespace regimen::lua
