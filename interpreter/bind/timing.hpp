#pragma once
// Lengths in the user's units and `by = "epoch"` for the schedule bindings. A length option
// (T_max, step_size, milestones, ...) takes a number of steps or a duration string ("5 epochs",
// "10%"); a schedule with any duration, or with by = "epoch", cannot be built until a recipe
// knows the run's length, so it becomes a schedule::Deferred that the recipe resolves:
//
//   int cosine(lua_State* L) {
//     Options options(L, 1, "schedule.cosine", {"lr", "T_max", "eta_min", "by"});
//     const double lr = options.required_number("lr");
//     const LengthArg t_max = length_option(options, "T_max");
//     ...
//     return make_timed(L, options, {t_max}, [=](auto&) {
//       return TimedBuild([=](const Lengths& len) { return schedule::cosine(lr, len[0], eta_min); });
//     });
//   }
//
// The factory sees plain numbers: a number option as given, a duration converted for the run
// (in steps; in epochs with by = "epoch"). Errors of a deferred build name the line that made
// the schedule: "recipe.lua:3: schedule.cosine: T_max must be > 0, got 0".
//
// Duration strings and lists stay on the Lua stack (LengthArg holds their index) until the
// guard, so nothing with a destructor is alive when an option error is raised.
#include <functional>
#include <initializer_list>
#include <string>
#include <variant>
#include <vector>

#include <lua.hpp>

#include "interpreter/bind/types.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "runtime/schedule/duration.hpp"
#include "runtime/schedule/run_length.hpp"
#include "runtime/schedule/schedule.hpp"

namespace regimen::lua {

/// A length option as read from the option table; trivially destructible.
struct LengthArg {
  enum class Kind { absent, number, text, list, whole_run };
  const char* key = "";
  Kind kind = Kind::absent;
  double number = 0.0;  ///< Kind::number
  int index = 0;        ///< stack index of the string (Kind::text) or the list (Kind::list)
};

/// A number of steps or a duration string; raises for another type or a bad duration. Absent:
/// Kind::absent, or "option 'key' is required" when `required`.
LengthArg length_option(const Options& options, const char* key, bool required = true);
/// Like length_option, but a list of them (milestones, boundaries); required.
LengthArg length_list(const Options& options, const char* key);
/// The run's whole length ("100%"), for one_cycle without total_steps.
inline LengthArg whole_run(const char* key) { return {key, LengthArg::Kind::whole_run, 0.0, 0}; }

/// The `by` option: false for "step" (the default), true for "epoch"; raises otherwise.
bool by_epoch_option(const Options& options);

/// A length as a number of steps or a duration, read from a LengthArg inside the guard.
using Length = std::variant<double, schedule::Duration>;

/// The lengths a factory receives, as plain numbers in its counter's units.
class Lengths {
 public:
  /// The i-th length option (as given to make_timed).
  double operator[](std::size_t i) const { return values_[i].at(0); }
  /// The i-th option, a list.
  const std::vector<double>& list(std::size_t i) const { return values_[i]; }
  /// False when the i-th option was absent.
  bool given(std::size_t i) const { return !values_[i].empty(); }

 private:
  friend class TimedSpec;
  std::vector<std::vector<double>> values_;
};

/// Builds the schedule from resolved lengths.
using TimedBuild = std::function<schedule::SchedulePtr(const Lengths&)>;

/// The lengths of one schedule, read from the stack; built and used inside the guard.
class TimedSpec {
 public:
  TimedSpec(lua_State* L, std::initializer_list<LengthArg> args);
  /// True when a length is a duration (or the whole run).
  bool has_duration() const;
  /// The lengths as given (numbers only; call when !has_duration()).
  Lengths plain() const;
  /// The lengths for `run` (in epochs of it when by_epoch).
  Lengths resolved(const schedule::RunLength& run, bool by_epoch) const;
  /// "T_max '5 epochs' needs a recipe to know the epoch length" for the first duration.
  std::string pending_reason() const;
  /// "T_max='5 epochs'" for every duration, comma-separated.
  std::string durations() const;

 private:
  std::vector<const char*> keys_;
  std::vector<std::vector<Length>> values_;
  std::vector<bool> whole_run_;
};

/// Makes the schedule inside a guard: directly when every length is a number and by is "step",
/// else as a Deferred. make_build(children) runs inside the guard; it returns the TimedBuild and
/// appends to `children` the sub-schedules it uses (combinators). Pushes the schedule.
template <typename MakeBuild>
int make_timed(lua_State* L, const Options& options, std::initializer_list<LengthArg> lengths, MakeBuild&& make_build);

/// The core of make_timed, inside the guard.
schedule::SchedulePtr build_timed(lua_State* L, const char* function, bool by_epoch, const TimedSpec& spec,
                                  TimedBuild build, std::vector<schedule::SchedulePtr> children);

/// Wraps `inner` to be evaluated at the epoch index (by = "epoch"), as a Deferred; inside a guard.
schedule::SchedulePtr by_epoch_deferred(const char* function, schedule::SchedulePtr inner);

template <typename MakeBuild>
int make_timed(lua_State* L, const Options& options, std::initializer_list<LengthArg> lengths, MakeBuild&& make_build) {
  const bool by_epoch = by_epoch_option(options);
  schedule::SchedulePtr built;
  guarded(L, options.function(), [&] {
    const TimedSpec spec(L, lengths);
    std::vector<schedule::SchedulePtr> children;
    TimedBuild build = make_build(children);
    built = build_timed(L, options.function(), by_epoch, spec, std::move(build), std::move(children));
    return 0;
  });
  push_schedule(L, std::move(built));
  return 1;
}

}  // namespace regimen::lua
