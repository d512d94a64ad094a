#pragma once
// What `regimen plot` draws, computed without training: each scheduled value of a resolved
// recipe (or one schedule) sampled over the planned run. Schedules are evaluated as they are
// before the first step: stateful ones (plateau, hypergradient) get no metrics or gradients,
// and a Lua function's ctx.metrics is empty; the series name says so for the stateful ones.
//
// Points (docs/decisions.md): a step-counted value gets one point per optimizer step
// t = 0..total_steps (the last is the value after the final update), or, past kMaxPlotSteps
// steps, kMaxPlotSteps + 1 steps spread evenly, t_i = round(i * total / kMaxPlotSteps). The batch
// size, counted in epochs, gets two points per epoch, at the epoch's first and last step, so
// that it draws as the staircase it is.
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include <lua.hpp>

#include "interpreter/lua_error.hpp"
#include "interpreter/recipe.hpp"
#include "runtime/error.hpp"
#include "regimen/interpreter.hpp"
#include "runtime/schedule/run_length.hpp"
#include "runtime/schedule/schedule.hpp"

namespace regimen::lua {

/// The most steps a plotted run is sampled at one by one.
inline constexpr std::int64_t kMaxPlotSteps = 20000;

/// The steps a run of `total_steps` (>= 0, whole) is sampled at; see the header comment.
std::vector<double> plot_steps(double total_steps);

/// `schedule` at each of `steps`, named `name` plus a note for a stateful schedule
/// ("lr (plateau: without metrics)"). Throws what the schedule throws (CallbackError for a Lua
/// function that fails).
PlannedSeries sample_schedule(const std::string& name, const schedule::SchedulePtr& schedule,
                              const std::vector<double>& steps);

/// Every scheduled value of a resolved recipe over its planned run, in `regimen check`'s
/// order: lr, the optimizer's scheduled options, then with parameter groups each group's lr or
/// option whose curve differs from the default group's ("lr (group 1)"), each scheduled
/// dropout's p ("dropout1.p"), the batch size ("batch_size (by epoch)"). Throws like sample_schedule, and InvalidArgument for a
/// batch size that comes out below 1.
SchedulePlan plan_recipe(const Recipe& recipe);

/// One schedule over a run of `run`'s length; the plan is named `name` (the expression), its
/// one series "s(t)".
SchedulePlan plan_one(const std::string& name, const schedule::SchedulePtr& schedule, const schedule::RunLength& run);

/// What plot_schedule_entry reads and fills.
struct PlotScheduleCall {
  const char* chunk_name;      ///< names the value in messages ("-e")
  schedule::RunLength run;     ///< the run to build the schedule for
  schedule::SchedulePtr schedule;
};

/// A protected-call entry: (lightuserdata PlotScheduleCall*, value) -> call->schedule, the value
/// as a schedule with its lengths resolved for call->run, and the plan recorded for ctx.
/// Raises "-e: the value is a string; plot needs a schedule, a number or a function(t, ctx)".
int plot_schedule_entry(lua_State* L);

/// Runs `compute`, which evaluates schedules outside Lua, and reports its failures as a run
/// does: a Lua schedule's error as it is, an InvalidArgument as a recipe mistake located at
/// `where`, anything else as a runtime failure.
template <typename Compute>
auto reported(const std::string& where, Compute&& compute) -> decltype(compute()) {
  const std::string prefix = where.empty() ? "" : where + ": ";
  try {
    return compute();
  } catch (const CallbackError& e) {
    throw Error(Error::Kind::kRecipe, e.what());
  } catch (const InvalidArgument& e) {
    throw Error(Error::Kind::kRecipe, prefix + e.what());
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(Error::Kind::kRuntime, prefix + e.what());
  }
}

}  // namespace regimen::lua
