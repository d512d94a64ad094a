#pragma once
// Lua functions as schedules: `function(t, ctx) return ... end` wherever a schedule is
// accepted, and schedule.lambda(fn). The function is called in a protected call each time the
// schedule is evaluated (by the optimizer at every step, by s(t) in Lua), on a Lua thread of its
// own so that an evaluation from C++ never disturbs a running coroutine. It receives
//
//   t    the counter: optimizer steps done (epochs with by = "epoch")
//   ctx  read-only: ctx.epoch (0-based), ctx.step, ctx.epochs, ctx.steps_per_epoch,
//        ctx.total_steps (nil until a recipe plans the run), ctx.metrics (the last finished
//        epoch's, {} before the first ends)
//
// Outside a training run (s(t) in a script) ctx.step follows t, and ctx.epoch the epoch that t
// falls in once a recipe has planned a run.
//
// Failures are CallbackErrors, complete with a location: a Lua error inside keeps Lua's own
// "recipe.lua:7: ..." message; a result that is not a finite number is "recipe.lua:5: schedule
// function returned nil at step 12" (the line where the function was defined).
#include <lua.hpp>

#include "runtime/schedule/run_length.hpp"
#include "runtime/schedule/schedule.hpp"
#include "runtime/train/progress.hpp"

namespace regimen::lua {

/// Sets up what Lua schedules share (their thread, ctx, the run's Progress) in the registry of
/// L. Called once when the interpreter opens the schedule module.
void open_lua_schedules(lua_State* L);

/// The Lua function at `index` as a schedule; its value at t is fn(t, ctx). With `by_epoch`, t
/// is an epoch index (the caller wraps the schedule so that it gets one), as messages say.
/// Raises like a bound function (call it from one, or from a protected call).
schedule::SchedulePtr make_lua_schedule(lua_State* L, int index, bool by_epoch);

/// The Progress that ctx reads; the interpreter hands it to the trainer. Never raises.
train::Progress& run_progress(lua_State* L);

/// Records the planned run (ctx.steps_per_epoch, ctx.total_steps, ctx.epochs, and the epoch
/// of t outside a run). Never raises.
void set_run_plan(lua_State* L, const schedule::RunLength& run);

}  // namespace regimen::lua
