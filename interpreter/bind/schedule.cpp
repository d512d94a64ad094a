// schedule.*: learning-rate (and other hyperparameter) curves. A schedule object is callable:
// s(t) is its value after t optimizer steps. Schedules combine: `0.5 * s`, `s * s2`, `s + c`,
// s:clamp(lo, hi), schedule.warmup/join/product. A plateau (or anything holding one) learns
// from p:observe(metric); a hypergradient schedule from h:observe_gradients(list). A Lua
// function is a schedule too (lua_schedule.hpp). Lengths take durations ("5 epochs", "10%")
// and every closed form and combinator takes by = "epoch" (timing.hpp).
//
// Sub-schedules and option strings stay Lua-owned (on the stack, as userdata) until the guard,
// so that no C++ object with a destructor is alive when an error is raised.
#include <climits>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/bind/lua_schedule.hpp"
#include "interpreter/bind/timing.hpp"
#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/error.hpp"
#include "runtime/option_check.hpp"
#include "runtime/schedule/arithmetic.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/cosine.hpp"
#include "runtime/schedule/cosine_restarts.hpp"
#include "runtime/schedule/cyclic.hpp"
#include "runtime/schedule/deferred.hpp"
#include "runtime/schedule/exponential.hpp"
#include "runtime/schedule/exponential_decay.hpp"
#include "runtime/schedule/feedback.hpp"
#include "runtime/schedule/hypergradient.hpp"
#include "runtime/schedule/inverse_time.hpp"
#include "runtime/schedule/join.hpp"
#include "runtime/schedule/linear.hpp"
#include "runtime/schedule/multistep.hpp"
#include "runtime/schedule/one_cycle.hpp"
#include "runtime/schedule/piecewise.hpp"
#include "runtime/schedule/plateau.hpp"
#include "runtime/schedule/polynomial.hpp"
#include "runtime/schedule/product.hpp"
#include "runtime/schedule/step.hpp"
#include "runtime/schedule/warmup.hpp"

namespace regimen::lua {

schedule::SchedulePtr to_schedule(lua_State* L, int index, const char* function) {
  if (lua_type(L, index) == LUA_TNUMBER) {
    const double value = lua_tonumber(L, index);
    schedule::SchedulePtr constant;
    guarded(L, function, [&] {
      constant = schedule::constant(value);
      return 0;
    });
    return constant;
  }
  if (auto* box = test_object<ScheduleBox>(L, index, kScheduleType)) return *box;
  if (lua_type(L, index) == LUA_TFUNCTION) return make_lua_schedule(L, index, false);
  return nullptr;
}

void push_schedule(lua_State* L, schedule::SchedulePtr schedule) {
  push_object<ScheduleBox>(L, kScheduleType, std::move(schedule));
}

namespace {

// Builds a schedule inside the guard and pushes it once every temporary is gone.
template <typename Make>
int make_schedule(lua_State* L, const char* function, Make&& make) {
  schedule::SchedulePtr built;
  guarded(L, function, [&] {
    built = make();
    return 0;
  });
  push_schedule(L, std::move(built));
  return 1;
}

// The schedule box at `index`, converting whatever to_schedule accepts (a number) into a
// schedule object in place, so Lua owns it; nullptr when the value is no schedule.
const ScheduleBox* schedule_at(lua_State* L, int index, const char* function) {
  index = lua_absindex(L, index);
  if (auto* box = test_object<ScheduleBox>(L, index, kScheduleType)) return box;
  schedule::SchedulePtr converted = to_schedule(L, index, function);
  if (!converted) return nullptr;
  push_schedule(L, std::move(converted));
  lua_replace(L, index);
  return test_object<ScheduleBox>(L, index, kScheduleType);
}

// The schedule option `key`, left on the stack (Lua owns it).
const ScheduleBox& schedule_option(const Options& options, const char* key) {
  lua_State* L = options.state();
  if (options.push(key) == LUA_TNIL) {
    lua_pop(L, 1);
    options.missing(key);
  }
  const ScheduleBox* box = schedule_at(L, -1, options.function());
  if (!box) options.type_error(key, "schedule or number");
  return *box;
}

// The string option `key` (or `fallback`), left on the stack so that the pointer stays valid.
const char* string_option(const Options& options, const char* key, const char* fallback) {
  lua_State* L = options.state();
  const int type = options.push(key);
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return fallback;
  }
  if (type != LUA_TSTRING) options.type_error(key, "string");
  return lua_tostring(L, -1);
}

// Checks that the required option `key` is a list of finite numbers and leaves it on the
// stack; returns its index. The list is read with read_numbers() inside the guard.
int number_list(const Options& options, const char* key) {
  lua_State* L = options.state();
  const int type = options.push(key);
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    options.missing(key);
  }
  if (type != LUA_TTABLE) options.type_error(key, "list of numbers");
  const int index = lua_gettop(L);
  for (lua_Integer i = 1, n = static_cast<lua_Integer>(lua_rawlen(L, index)); i <= n; ++i) {
    const bool ok = lua_rawgeti(L, index, i) == LUA_TNUMBER && std::isfinite(lua_tonumber(L, -1));
    lua_pop(L, 1);
    if (!ok) raise(L, std::string(options.function()) + ": option '" + key + "' must be a list of numbers");
  }
  return index;
}

// The numbers of a list checked by number_list(); raises nothing.
std::vector<double> read_numbers(lua_State* L, int index) {
  std::vector<double> values(lua_rawlen(L, index));
  for (std::size_t i = 0; i < values.size(); ++i) {
    lua_rawgeti(L, index, static_cast<lua_Integer>(i + 1));
    values[i] = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  return values;
}

int count_option(const Options& options, const char* key, int fallback) {
  const std::int64_t value = options.integer(key, fallback);
  if (value < INT_MIN || value > INT_MAX) {
    raise(options.state(), std::string(options.function()) + ": option '" + key + "' is out of range");
  }
  return static_cast<int>(value);
}

// --- built-in closed forms, simple to complex ---

int constant(lua_State* L) {
  Options options(L, 1, "schedule.constant", {"lr"});
  const double lr = options.required_number("lr");
  return make_schedule(L, "schedule.constant", [&] { return schedule::constant(lr); });
}

int step(lua_State* L) {
  Options options(L, 1, "schedule.step", {"lr", "step_size", "gamma", "by"});
  const double lr = options.required_number("lr");
  const LengthArg step_size = length_option(options, "step_size");
  const double gamma = options.number("gamma", 0.1);
  return make_timed(L, options, {step_size}, [=](auto&) {
    return TimedBuild([=](const Lengths& len) { return schedule::step(lr, len[0], gamma); });
  });
}

int multistep(lua_State* L) {
  Options options(L, 1, "schedule.multistep", {"lr", "milestones", "gamma", "by"});
  const double lr = options.required_number("lr");
  const double gamma = options.number("gamma", 0.1);
  const LengthArg milestones = length_list(options, "milestones");
  return make_timed(L, options, {milestones}, [=](auto&) {
    return TimedBuild([=](const Lengths& len) { return schedule::multistep(lr, len.list(0), gamma); });
  });
}

int exponential(lua_State* L) {
  Options options(L, 1, "schedule.exponential", {"lr", "gamma", "by"});
  const double lr = options.required_number("lr");
  const double gamma = options.required_number("gamma");
  return make_timed(L, options, {}, [=](auto&) {
    return TimedBuild([=](const Lengths&) { return schedule::exponential(lr, gamma); });
  });
}

int exponential_decay(lua_State* L) {
  Options options(L, 1, "schedule.exponential_decay", {"lr", "decay_rate", "decay_steps", "staircase", "by"});
  const double lr = options.required_number("lr");
  const double decay_rate = options.required_number("decay_rate");
  const LengthArg decay_steps = length_option(options, "decay_steps");
  const bool staircase = options.boolean("staircase", false);
  return make_timed(L, options, {decay_steps}, [=](auto&) {
    return TimedBuild(
        [=](const Lengths& len) { return schedule::exponential_decay(lr, decay_rate, len[0], staircase); });
  });
}

int inverse_time(lua_State* L) {
  Options options(L, 1, "schedule.inverse_time", {"lr", "decay_rate", "decay_steps", "staircase", "by"});
  const double lr = options.required_number("lr");
  const double decay_rate = options.required_number("decay_rate");
  const LengthArg decay_steps = length_option(options, "decay_steps");
  const bool staircase = options.boolean("staircase", false);
  return make_timed(L, options, {decay_steps}, [=](auto&) {
    return TimedBuild([=](const Lengths& len) { return schedule::inverse_time(lr, decay_rate, len[0], staircase); });
  });
}

int piecewise(lua_State* L) {
  Options options(L, 1, "schedule.piecewise", {"boundaries", "values", "by"});
  const LengthArg boundaries = length_list(options, "boundaries");
  const int values = number_list(options, "values");
  return make_timed(L, options, {boundaries}, [=](auto&) {
    return TimedBuild([=, values = read_numbers(L, values)](const Lengths& len) {
      return schedule::piecewise(len.list(0), values);
    });
  });
}

int polynomial(lua_State* L) {
  Options options(L, 1, "schedule.polynomial", {"lr", "total_steps", "power", "end_lr", "cycle", "by"});
  const double lr = options.required_number("lr");
  const LengthArg total_steps = length_option(options, "total_steps");
  const double power = options.number("power", 1.0);
  const double end_lr = options.number("end_lr", 0.0);
  const bool cycle = options.boolean("cycle", false);
  return make_timed(L, options, {total_steps}, [=](auto&) {
    return TimedBuild([=](const Lengths& len) { return schedule::polynomial(lr, len[0], power, end_lr, cycle); });
  });
}

int linear(lua_State* L) {
  Options options(L, 1, "schedule.linear", {"from", "to", "steps", "by"});
  const double from = options.required_number("from");
  const double to = options.required_number("to");
  const LengthArg steps = length_option(options, "steps");
  return make_timed(L, options, {steps}, [=](auto&) {
    return TimedBuild([=](const Lengths& len) { return schedule::linear(from, to, len[0]); });
  });
}

int cosine(lua_State* L) {
  Options options(L, 1, "schedule.cosine", {"lr", "T_max", "eta_min", "by"});
  const double lr = options.required_number("lr");
  const LengthArg t_max = length_option(options, "T_max");
  const double eta_min = options.number("eta_min", 0.0);
  return make_timed(L, options, {t_max}, [=](auto&) {
    return TimedBuild([=](const Lengths& len) { return schedule::cosine(lr, len[0], eta_min); });
  });
}

int cosine_restarts(lua_State* L) {
  Options options(L, 1, "schedule.cosine_restarts", {"lr", "T_0", "T_mult", "eta_min", "m_mul", "by"});
  const double lr = options.required_number("lr");
  const LengthArg t_0 = length_option(options, "T_0");
  const double t_mult = options.number("T_mult", 1.0);
  const double eta_min = options.number("eta_min", 0.0);
  const double m_mul = options.number("m_mul", 1.0);
  return make_timed(L, options, {t_0}, [=](auto&) {
    return TimedBuild(
        [=](const Lengths& len) { return schedule::cosine_restarts(lr, len[0], t_mult, eta_min, m_mul); });
  });
}

// Without total_steps, one_cycle spans the run the recipe plans, so it never steps past its end.
int one_cycle(lua_State* L) {
  // PyTorch's name is too far from ours for the generic suggestion; a ported recipe uses it.
  if (lua_istable(L, 1) && lua_getfield(L, 1, "anneal_strategy") != LUA_TNIL) {
    raise(L, "schedule.one_cycle: unknown option 'anneal_strategy' (did you mean 'anneal'?)");
  }
  lua_settop(L, 1);
  Options options(L, 1, "schedule.one_cycle",
                  {"max_lr", "total_steps", "pct_start", "anneal", "div_factor", "final_div_factor", "three_phase",
                   "by"});
  const double max_lr = options.required_number("max_lr");
  LengthArg total_steps = length_option(options, "total_steps", false);
  if (total_steps.kind == LengthArg::Kind::absent) total_steps = whole_run("total_steps");
  const double pct_start = options.number("pct_start", 0.3);
  const double div_factor = options.number("div_factor", 25.0);
  const double final_div_factor = options.number("final_div_factor", 1e4);
  const bool three_phase = options.boolean("three_phase", false);
  const char* anneal = string_option(options, "anneal", "cos");
  return make_timed(L, options, {total_steps}, [=](auto&) {
    return TimedBuild([=, anneal = std::string(anneal)](const Lengths& len) {
      return schedule::one_cycle({max_lr, len[0], pct_start, anneal, div_factor, final_div_factor, three_phase});
    });
  });
}

int cyclic(lua_State* L) {
  Options options(L, 1, "schedule.cyclic",
                  {"base_lr", "max_lr", "step_size_up", "step_size_down", "mode", "gamma", "by"});
  const double base_lr = options.required_number("base_lr");
  const double max_lr = options.required_number("max_lr");
  LengthArg up = length_option(options, "step_size_up", false);
  if (up.kind == LengthArg::Kind::absent) up = {"step_size_up", LengthArg::Kind::number, 2000.0, 0};
  const LengthArg down = length_option(options, "step_size_down", false);
  const double gamma = options.number("gamma", 1.0);
  const char* mode = string_option(options, "mode", "triangular");
  return make_timed(L, options, {up, down}, [=](auto&) {
    return TimedBuild([=, mode = std::string(mode)](const Lengths& len) {
      schedule::CyclicOptions o{base_lr, max_lr, len[0], std::nullopt, mode, gamma};
      if (len.given(1)) o.step_size_down = len[1];
      return schedule::cyclic(o);
    });
  });
}

// schedule.lambda(fn[, {by = "epoch"}]): a Lua function as a schedule. A function given where a
// schedule is expected is the same as schedule.lambda(fn).
int lambda(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  Options options(L, 2, "schedule.lambda", {"by"}, true);
  const bool by_epoch = by_epoch_option(options);
  schedule::SchedulePtr fn = make_lua_schedule(L, 1, by_epoch);
  if (!by_epoch) {
    push_schedule(L, std::move(fn));
    return 1;
  }
  return make_schedule(L, "schedule.lambda", [&] { return by_epoch_deferred("schedule.lambda", fn); });
}

// --- combinators ---

int warmup(lua_State* L) {
  Options options(L, 1, "schedule.warmup", {"steps", "from", "into", "by"});
  const LengthArg steps = length_option(options, "steps");
  const double from = options.number("from", 0.0);
  const ScheduleBox& into = schedule_option(options, "into");
  return make_timed(L, options, {steps}, [&](auto& children) {
    children.push_back(into);
    return TimedBuild([=, into = into](const Lengths& len) { return schedule::warmup(len[0], from, into); });
  });
}

// Copies entry i of the positional table at 1, as a schedule object, into the table at
// `work` (the caller's table is left as it was); raises naming the entry.
void check_schedule_entry(lua_State* L, const char* function, lua_Integer i, int work) {
  lua_rawgeti(L, 1, i);
  if (!schedule_at(L, -1, function)) {
    raise(L, std::string(function) + ": entry " + std::to_string(i) + " must be a schedule or a number, got " +
                 luaL_typename(L, -1));
  }
  lua_rawseti(L, work, i);
}

// The schedules of the work table at `work`, positions first, first + step, ... up to n.
std::vector<schedule::SchedulePtr> work_schedules(lua_State* L, int work, lua_Integer first, lua_Integer n,
                                                  lua_Integer step) {
  std::vector<schedule::SchedulePtr> schedules;
  for (lua_Integer i = first; i <= n; i += step) {
    lua_rawgeti(L, work, i);
    schedules.push_back(*test_object<ScheduleBox>(L, -1, kScheduleType));
    lua_pop(L, 1);
  }
  return schedules;
}

// join{s1, b1, s2, b2, s3}: schedules at odd positions, boundaries between them (numbers of
// steps or durations).
int join(lua_State* L) {
  Options options(L, 1, "schedule.join", {"by"}, false, true);
  const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 1));
  if (n % 2 == 0) {
    raise(L, "schedule.join: expected {s1, b1, s2, ...}: schedules with boundaries between them, got " +
                 std::to_string(n) + " entries");
  }
  lua_createtable(L, static_cast<int>(n), 0);
  const int work = lua_gettop(L);
  lua_createtable(L, static_cast<int>(n / 2), 0);
  const int bounds = lua_gettop(L);
  for (lua_Integer i = 1; i <= n; ++i) {
    if (i % 2 == 1) {
      check_schedule_entry(L, "schedule.join", i, work);
      continue;
    }
    const int type = lua_rawgeti(L, 1, i);
    if (type != LUA_TNUMBER && type != LUA_TSTRING) {
      raise(L, "schedule.join: entry " + std::to_string(i) + " must be a boundary (a number of steps), got " +
                   luaL_typename(L, -1));
    }
    lua_rawseti(L, bounds, i / 2);
  }
  const LengthArg boundaries{"boundaries", LengthArg::Kind::list, 0.0, bounds};
  for (lua_Integer i = 1, m = n / 2; i <= m; ++i) {
    lua_rawgeti(L, bounds, i);
    if (lua_type(L, -1) == LUA_TSTRING) {
      const char* text = lua_tostring(L, -1);
      guarded(L, "schedule.join", [&] {
        schedule::Duration::parse(text, "boundaries");
        return 0;
      });
    }
    lua_pop(L, 1);
  }
  return make_timed(L, options, {boundaries}, [&](auto& children) {
    children = work_schedules(L, work, 1, n, 2);
    return TimedBuild([schedules = children](const Lengths& len) { return schedule::join(schedules, len.list(0)); });
  });
}

// product{s1, s2, ...}: numbers are constant factors.
int product(lua_State* L) {
  Options options(L, 1, "schedule.product", {"by"}, false, true);
  const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 1));
  if (n == 0) raise(L, "schedule.product: expected at least one schedule, as in {s1, s2}");
  lua_createtable(L, static_cast<int>(n), 0);
  const int work = lua_gettop(L);
  for (lua_Integer i = 1; i <= n; ++i) check_schedule_entry(L, "schedule.product", i, work);
  return make_timed(L, options, {}, [&](auto& children) {
    children = work_schedules(L, work, 1, n, 1);
    return TimedBuild([factors = children](const Lengths&) { return schedule::product(factors); });
  });
}

// --- stateful schedules ---

int plateau(lua_State* L) {
  Options options(L, 1, "schedule.plateau",
                  {"lr", "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps",
                   "monitor"});
  const double lr = options.required_number("lr");
  const double factor = options.number("factor", 0.1);
  const int patience = count_option(options, "patience", 10);
  const double threshold = options.number("threshold", 1e-4);
  const int cooldown = count_option(options, "cooldown", 0);
  const double min_lr = options.number("min_lr", 0.0);
  const double eps = options.number("eps", 1e-8);
  const char* mode = string_option(options, "mode", "min");
  const char* threshold_mode = string_option(options, "threshold_mode", "rel");
  const char* monitor = string_option(options, "monitor", "val_loss");
  return make_schedule(L, "schedule.plateau", [&] {
    return schedule::plateau(
        schedule::PlateauOptions{lr, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps, monitor});
  });
}

int hypergradient(lua_State* L) {
  Options options(L, 1, "schedule.hypergradient", {"lr", "beta"});
  const double lr = options.required_number("lr");
  const double beta = options.required_number("beta");
  return make_schedule(L, "schedule.hypergradient", [&] { return schedule::hypergradient(lr, beta); });
}

// --- methods and operators ---

int call(lua_State* L) {
  const ScheduleBox& s = check_object<ScheduleBox>(L, 1, kScheduleType);
  const double t = luaL_checknumber(L, 2);
  if (t < 0) luaL_argerror(L, 1, "step must be >= 0");
  double value = 0;
  guarded(L, "schedule", [&] {
    try {
      value = (*s)(t);
    } catch (const schedule::Unresolved& e) {  // lengths waiting for a recipe: the schedule's own words
      throw CallbackError(user_where(L) + e.what());
    }
    return 0;
  });
  lua_pushnumber(L, value);
  return 1;
}

int to_string(lua_State* L) {
  const ScheduleBox& s = check_object<ScheduleBox>(L, 1, kScheduleType);
  const std::string text = "schedule." + s->describe();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

// "schedule" for a schedule object, else Lua's type name, for operator errors.
const char* kind_of(lua_State* L, int index) {
  return test_object<ScheduleBox>(L, index, kScheduleType) ? "schedule" : luaL_typename(L, index);
}

// a * b: a number scales a schedule; two schedules multiply (product).
int mul(lua_State* L) {
  const int number = lua_type(L, 1) == LUA_TNUMBER ? 1 : lua_type(L, 2) == LUA_TNUMBER ? 2 : 0;
  const ScheduleBox* a = number == 1 ? nullptr : test_object<ScheduleBox>(L, 1, kScheduleType);
  const ScheduleBox* b = number == 2 ? nullptr : test_object<ScheduleBox>(L, 2, kScheduleType);
  if ((number != 1 && !a) || (number != 2 && !b)) {
    raise(L, std::string("schedule: cannot multiply a ") + kind_of(L, 1) + " by a " + kind_of(L, 2));
  }
  const double factor = number ? lua_tonumber(L, number) : 0.0;
  return make_schedule(L, "schedule", [&] {
    if (number == 1) return schedule::scaled(*b, factor);
    if (number == 2) return schedule::scaled(*a, factor);
    return schedule::product({*a, *b});
  });
}

// a + b: a schedule plus a number (>= 0) or another schedule.
int add(lua_State* L) {
  for (int i = 1; i <= 2; ++i) {
    if (lua_type(L, i) == LUA_TNUMBER && !(lua_tonumber(L, i) >= 0.0 && std::isfinite(lua_tonumber(L, i)))) {
      raise(L, "schedule: can only add a number >= 0 to a schedule, got " + format_number(lua_tonumber(L, i)));
    }
    if (!schedule_at(L, i, "schedule")) {
      raise(L, std::string("schedule: cannot add a ") + kind_of(L, 1) + " and a " + kind_of(L, 2));
    }
  }
  const ScheduleBox& a = *test_object<ScheduleBox>(L, 1, kScheduleType);
  const ScheduleBox& b = *test_object<ScheduleBox>(L, 2, kScheduleType);
  return make_schedule(L, "schedule", [&] { return schedule::sum(a, b); });
}

// s:clamp(lo[, hi]): hi defaults to no upper bound.
int clamp(lua_State* L) {
  const ScheduleBox& s = check_object<ScheduleBox>(L, 1, kScheduleType);
  const double lo = luaL_checknumber(L, 2);
  const double hi = luaL_optnumber(L, 3, HUGE_VAL);
  return make_schedule(L, "schedule:clamp", [&] { return schedule::clamped(s, lo, hi); });
}

// s:observe(metric): feeds one epoch's metric to every plateau inside s.
int observe(lua_State* L) {
  const ScheduleBox& s = check_object<ScheduleBox>(L, 1, kScheduleType);
  const double metric = luaL_checknumber(L, 2);
  bool fed = false;
  guarded(L, "schedule:observe", [&] {
    for (const auto& f : schedule::feedback_of(s)) {
      if (f->monitor().empty()) continue;
      f->observe(metric);
      fed = true;
    }
    return 0;
  });
  if (!fed) {
    luaL_tolstring(L, 1, nullptr);
    raise(L, std::string("schedule:observe: ") + lua_tostring(L, -1) + " follows no metric (a plateau does)");
  }
  return 0;
}

// s:observe_gradients({g1, g2, ...}): feeds one step's flat gradient to every hypergradient inside s.
int observe_gradients(lua_State* L) {
  const ScheduleBox& s = check_object<ScheduleBox>(L, 1, kScheduleType);
  luaL_checktype(L, 2, LUA_TTABLE);
  const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 2));
  for (lua_Integer i = 1; i <= n; ++i) {
    if (lua_rawgeti(L, 2, i) != LUA_TNUMBER) {
      raise(L, "schedule:observe_gradients: entry " + std::to_string(i) + " must be a number, got " +
                   luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
  bool fed = false;
  guarded(L, "schedule:observe_gradients", [&] {
    std::vector<float> gradient(static_cast<std::size_t>(n));
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L, 2, i);
      gradient[static_cast<std::size_t>(i - 1)] = static_cast<float>(lua_tonumber(L, -1));
      lua_pop(L, 1);
    }
    for (const auto& f : schedule::feedback_of(s)) {
      if (!f->wants_gradients()) continue;
      f->observe_gradients(gradient);
      fed = true;
    }
    return 0;
  });
  if (!fed) {
    luaL_tolstring(L, 1, nullptr);
    raise(L, std::string("schedule:observe_gradients: ") + lua_tostring(L, -1) +
                 " takes no gradients (a hypergradient does)");
  }
  return 0;
}

const luaL_Reg kFunctions[] = {{"constant", constant},
                               {"step", step},
                               {"multistep", multistep},
                               {"exponential", exponential},
                               {"exponential_decay", exponential_decay},
                               {"inverse_time", inverse_time},
                               {"piecewise", piecewise},
                               {"polynomial", polynomial},
                               {"linear", linear},
                               {"cosine", cosine},
                               {"cosine_restarts", cosine_restarts},
                               {"one_cycle", one_cycle},
                               {"cyclic", cyclic},
                               {"warmup", warmup},
                               {"join", join},
                               {"product", product},
                               {"plateau", plateau},
                               {"hypergradient", hypergradient},
                               {"lambda", lambda},
                               {nullptr, nullptr}};
const luaL_Reg kMethods[] = {
    {"clamp", clamp}, {"observe", observe}, {"observe_gradients", observe_gradients}, {nullptr, nullptr}};
const luaL_Reg kMetamethods[] = {
    {"__call", call}, {"__tostring", to_string}, {"__mul", mul}, {"__add", add}, {nullptr, nullptr}};

}  // namespace

int open_schedule(lua_State* L, Context& context) {
  open_lua_schedules(L);
  define_type<ScheduleBox>(L, kScheduleType, kMethods, kMetamethods);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
