// optim.*: update rules with PyTorch's option names and defaults. `opt.lr` reads the learning
// rate of the next step and accepts a number or a schedule. `convention = "keras"` (sgd,
// rmsprop, adam) switches to Keras' numerics and, for options left out, to Keras' defaults.
// momentum (sgd, rmsprop), betas and weight_decay (every rule that has them) also take a
// schedule or a Lua function (Optimizer::schedule_option); `opt.momentum` reads its value.
#include <array>
#include <cstring>
#include <string>

#include "interpreter/bind/optim_groups.hpp"
#include "interpreter/bind/optim_methods.hpp"
#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/optim/adadelta.hpp"
#include "runtime/optim/adagrad.hpp"
#include "runtime/optim/adam.hpp"
#include "runtime/optim/adamax.hpp"
#include "runtime/optim/adamw.hpp"
#include "runtime/optim/lion.hpp"
#include "runtime/optim/nadam.hpp"
#include "runtime/optim/radam.hpp"
#include "runtime/optim/rmsprop.hpp"
#include "runtime/optim/schedule_free_adamw.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/deferred.hpp"

namespace regimen::lua {
namespace {

// The `lr` option: a number or a schedule; nullptr when absent (the caller builds the default
// constant inside its guard), an error when absent and `required`. Read last, after every
// other option, so that no other option's error is raised while it holds a reference.
schedule::SchedulePtr read_lr(const Options& options, bool required) {
  lua_State* L = options.state();
  const int type = options.push("lr");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    if (required) options.missing("lr");
    return nullptr;
  }
  schedule::SchedulePtr lr = to_schedule(L, -1, options.function());
  if (!lr) options.type_error("lr", "number or schedule");
  lua_pop(L, 1);
  return lr;
}

// Options other than lr that follow a schedule (optimizer.hpp: schedule_option), by stack
// index of their schedule object; read inside the guard once the optimizer exists.
struct ScheduledArgs {
  int count = 0;
  const char* names[4] = {};
  int index[4] = {};
};

// Replaces the schedule (or function) at `index` by a schedule object, remembered as option
// `name`; returns the value the optimizer is built with: its value now, or `fallback` when it
// can only be evaluated during the run (a Lua function, lengths in epochs).
double remember_schedule(const Options& options, int index, const char* name, double fallback,
                         ScheduledArgs& scheduled) {
  lua_State* L = options.state();
  schedule::SchedulePtr s = to_schedule(L, index, options.function());
  if (!s) return fallback;  // not reached: callers check the type first
  push_object<ScheduleBox>(L, kScheduleType, std::move(s));
  lua_replace(L, index);
  const int box = index;
  double now = fallback;
  guarded(L, options.function(), [&] {
    const ScheduleBox& b = *test_object<ScheduleBox>(L, box, kScheduleType);
    if (!schedule::depends_on_run(b)) now = (*b)(0.0);
    return 0;
  });
  if (scheduled.count == 4) raise(L, std::string(options.function()) + ": too many scheduled options");
  scheduled.names[scheduled.count] = name;
  scheduled.index[scheduled.count++] = box;
  return now;
}

bool is_schedule(lua_State* L, int index) {
  return lua_type(L, index) == LUA_TFUNCTION || test_object<ScheduleBox>(L, index, kScheduleType) != nullptr;
}

// A number option that may also be a schedule or a Lua function (`momentum`, `weight_decay`).
double number_or_schedule(const Options& options, const char* key, double fallback, ScheduledArgs& scheduled,
                          double placeholder) {
  lua_State* L = options.state();
  options.push(key);
  if (is_schedule(L, -1)) {
    return remember_schedule(options, lua_gettop(L), key, placeholder, scheduled);  // stays on the stack
  }
  lua_pop(L, 1);
  return options.number(key, fallback);
}

// betas = {b1, b2}: numbers, or schedules/functions for either ("betas[1]", "betas[2]").
std::array<double, 2> read_betas(const Options& options, std::array<double, 2> betas, ScheduledArgs& scheduled) {
  lua_State* L = options.state();
  const int type = options.push("betas");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return betas;
  }
  if (type != LUA_TTABLE) options.type_error("betas", "list of numbers");
  const int table = lua_gettop(L);
  if (luaL_len(L, table) != 2) {
    lua_pop(L, 1);
    raise(L, std::string(options.function()) + ": option 'betas' must hold two numbers, like {0.9, 0.999}");
  }
  static const char* const kNames[] = {"betas[1]", "betas[2]"};
  for (int i = 0; i < 2; ++i) {
    const int entry = lua_geti(L, table, i + 1);
    if (entry == LUA_TNUMBER) {
      betas[static_cast<std::size_t>(i)] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    } else if (is_schedule(L, -1)) {
      betas[static_cast<std::size_t>(i)] =
          remember_schedule(options, lua_gettop(L), kNames[i], betas[static_cast<std::size_t>(i)], scheduled);
    } else {
      lua_pop(L, 2);
      raise(L, std::string(options.function()) +
                   ": option 'betas' must hold two numbers (or schedules), like {0.9, 0.999}");
    }
  }
  lua_remove(L, table);  // the schedule objects above it move down by one
  for (int i = 0; i < scheduled.count; ++i)
    if (scheduled.index[i] > table) --scheduled.index[i];
  return betas;
}

optim::Convention read_convention(const Options& options) {
  lua_State* L = options.state();
  const int type = options.push("convention");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return optim::Convention::pytorch;
  }
  if (type != LUA_TSTRING) options.type_error("convention", "string");
  const char* text = lua_tostring(L, -1);
  if (std::strcmp(text, "pytorch") == 0 || std::strcmp(text, "keras") == 0) {
    const auto convention = text[0] == 'k' ? optim::Convention::keras : optim::Convention::pytorch;
    lua_pop(L, 1);
    return convention;
  }
  char message[200];
  std::snprintf(message, sizeof message, "%s: option 'convention' must be \"pytorch\" or \"keras\", got \"%.80s\"",
                options.function(), text);
  lua_pop(L, 1);
  raise(L, message);
}

// Builds the optimizer inside the guard (a bad option value throws InvalidArgument there) and
// pushes it once the guard has closed.
template <typename Optim, typename OptionsT>
int make_optimizer(lua_State* L, const char* function, schedule::SchedulePtr lr, double default_lr,
                   const OptionsT& o, const ScheduledArgs& scheduled = {}) {
  OptimizerBox built;
  guarded(L, function, [&] {
    built = std::make_shared<Optim>(lr ? std::move(lr) : schedule::constant(default_lr), o);
    for (int i = 0; i < scheduled.count; ++i)
      built->schedule_option(scheduled.names[i], *test_object<ScheduleBox>(L, scheduled.index[i], kScheduleType));
    return 0;
  });
  push_object<OptimizerBox>(L, kOptimizerType, std::move(built));
  return 1;
}

int sgd(lua_State* L) {
  Options options(L, 1, "optim.sgd",
                  {"lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize", "convention"});
  optim::SgdOptions o;
  ScheduledArgs scheduled;
  o.convention = read_convention(options);
  o.nesterov = options.boolean("nesterov", o.nesterov);
  // A momentum that only the run can evaluate is built with a valid stand-in until step 0.
  o.momentum = number_or_schedule(options, "momentum", o.momentum, scheduled, o.nesterov ? 0.9 : 0.0);
  o.dampening = options.number("dampening", o.dampening);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  o.maximize = options.boolean("maximize", o.maximize);
  // PyTorch's SGD has no default lr; Keras' has 0.01.
  const bool keras = o.convention == optim::Convention::keras;
  return make_optimizer<optim::Sgd>(L, "optim.sgd", read_lr(options, !keras), 0.01, o, scheduled);
}

int adam(lua_State* L) {
  Options options(L, 1, "optim.adam",
                  {"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "convention"});
  optim::AdamOptions o;
  ScheduledArgs scheduled;
  if (read_convention(options) == optim::Convention::keras) o = optim::AdamOptions::keras();
  o.betas = read_betas(options, o.betas, scheduled);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  o.amsgrad = options.boolean("amsgrad", o.amsgrad);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Adam>(L, "optim.adam", read_lr(options, false), 1e-3, o, scheduled);
}

int adamw(lua_State* L) {
  Options options(L, 1, "optim.adamw", {"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"});
  optim::AdamWOptions o;
  ScheduledArgs scheduled;
  o.betas = read_betas(options, o.betas, scheduled);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  o.amsgrad = options.boolean("amsgrad", o.amsgrad);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::AdamW>(L, "optim.adamw", read_lr(options, false), 1e-3, o, scheduled);
}

int rmsprop(lua_State* L) {
  Options options(L, 1, "optim.rmsprop",
                  {"lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize", "convention"});
  optim::RmspropOptions o;
  ScheduledArgs scheduled;
  const bool keras = read_convention(options) == optim::Convention::keras;
  if (keras) o = optim::RmspropOptions::keras();
  o.alpha = options.number("alpha", o.alpha);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  o.momentum = number_or_schedule(options, "momentum", o.momentum, scheduled, 0.0);
  o.centered = options.boolean("centered", o.centered);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Rmsprop>(L, "optim.rmsprop", read_lr(options, false), keras ? 1e-3 : 1e-2, o,
                                        scheduled);
}

int adagrad(lua_State* L) {
  Options options(L, 1, "optim.adagrad",
                  {"lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize"});
  optim::AdagradOptions o;
  ScheduledArgs scheduled;
  o.lr_decay = options.number("lr_decay", o.lr_decay);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  o.initial_accumulator_value = options.number("initial_accumulator_value", o.initial_accumulator_value);
  o.eps = options.number("eps", o.eps);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Adagrad>(L, "optim.adagrad", read_lr(options, false), 1e-2, o, scheduled);
}

int adadelta(lua_State* L) {
  Options options(L, 1, "optim.adadelta", {"lr", "rho", "eps", "weight_decay", "maximize"});
  optim::AdadeltaOptions o;
  ScheduledArgs scheduled;
  o.rho = options.number("rho", o.rho);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Adadelta>(L, "optim.adadelta", read_lr(options, false), 1.0, o, scheduled);
}

int adamax(lua_State* L) {
  Options options(L, 1, "optim.adamax", {"lr", "betas", "eps", "weight_decay", "maximize"});
  optim::AdamaxOptions o;
  ScheduledArgs scheduled;
  o.betas = read_betas(options, o.betas, scheduled);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Adamax>(L, "optim.adamax", read_lr(options, false), 2e-3, o, scheduled);
}

int nadam(lua_State* L) {
  Options options(L, 1, "optim.nadam", {"lr", "betas", "eps", "weight_decay", "momentum_decay"});
  optim::NadamOptions o;
  ScheduledArgs scheduled;
  o.betas = read_betas(options, o.betas, scheduled);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  o.momentum_decay = options.number("momentum_decay", o.momentum_decay);
  return make_optimizer<optim::Nadam>(L, "optim.nadam", read_lr(options, false), 2e-3, o, scheduled);
}

int radam(lua_State* L) {
  Options options(L, 1, "optim.radam", {"lr", "betas", "eps", "weight_decay"});
  optim::RadamOptions o;
  ScheduledArgs scheduled;
  o.betas = read_betas(options, o.betas, scheduled);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  return make_optimizer<optim::Radam>(L, "optim.radam", read_lr(options, false), 1e-3, o, scheduled);
}

int lion(lua_State* L) {
  Options options(L, 1, "optim.lion", {"lr", "betas", "weight_decay"});
  optim::LionOptions o;
  ScheduledArgs scheduled;
  o.betas = read_betas(options, o.betas, scheduled);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  return make_optimizer<optim::Lion>(L, "optim.lion", read_lr(options, false), 1e-4, o, scheduled);
}

int schedule_free_adamw(lua_State* L) {
  Options options(L, 1, "optim.schedule_free_adamw",
                  {"lr", "betas", "eps", "weight_decay", "warmup_steps", "r", "weight_lr_power"});
  optim::ScheduleFreeAdamWOptions o;
  ScheduledArgs scheduled;
  o.betas = read_betas(options, o.betas, scheduled);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = number_or_schedule(options, "weight_decay", o.weight_decay, scheduled, 0.0);
  o.warmup_steps = options.integer("warmup_steps", o.warmup_steps);
  o.r = options.number("r", o.r);
  o.weight_lr_power = options.number("weight_lr_power", o.weight_lr_power);
  return make_optimizer<optim::ScheduleFreeAdamW>(L, "optim.schedule_free_adamw", read_lr(options, false),
                                                  2.5e-3, o, scheduled);
}

int index(lua_State* L) {
  const OptimizerBox& optimizer = check_object<OptimizerBox>(L, 1, kOptimizerType);
  const std::string key = luaL_checkstring(L, 2);
  if (push_optimizer_method(L, key)) return 1;  // step, save_state, load_state
  if (key == "lr") {
    double lr = 0.0;
    guarded(L, "optimizer.lr", [&] {  // a Lua schedule may fail
      lr = optimizer->current_lr();
      return 0;
    });
    lua_pushnumber(L, lr);
    return 1;
  }
  if (key == "steps") {
    lua_pushinteger(L, optimizer->steps());
    return 1;
  }
  // A scheduled option reads as the value of the last step (or of step 0 before any).
  if (key == "betas") {
    const auto b1 = optimizer->option("betas[1]"), b2 = optimizer->option("betas[2]");
    if (b1 && b2) {
      lua_createtable(L, 2, 0);
      lua_pushnumber(L, *b1);
      lua_rawseti(L, -2, 1);
      lua_pushnumber(L, *b2);
      lua_rawseti(L, -2, 2);
      return 1;
    }
  } else if (const auto value = optimizer->option(key)) {
    lua_pushnumber(L, *value);
    return 1;
  }
  lua_pushnil(L);
  return 1;
}

int new_index(lua_State* L) {
  OptimizerBox& optimizer = check_object<OptimizerBox>(L, 1, kOptimizerType);
  const std::string key = luaL_checkstring(L, 2);
  if (key != "lr") raise(L, "optimizer: field '" + key + "' cannot be set (only 'lr')");
  schedule::SchedulePtr lr = to_schedule(L, 3, "optimizer.lr");
  if (!lr) raise(L, std::string("optimizer: lr must be a number or a schedule, got ") + luaL_typename(L, 3));
  guarded(L, "optimizer.lr", [&] {
    // A schedule that needs the run is checked at every step instead.
    if (!schedule::depends_on_run(lr) && !((*lr)(0.0) >= 0.0)) throw std::invalid_argument("lr must be >= 0");
    optimizer->set_lr(lr);
    return 0;
  });
  return 0;
}

int to_string(lua_State* L) {
  const OptimizerBox& optimizer = check_object<OptimizerBox>(L, 1, kOptimizerType);
  const std::string text = "optim." + optimizer->describe();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

// Every constructor takes `groups = {...}` (optim_groups.hpp).
template <lua_CFunction Make>
int with_groups(lua_State* L) {
  return make_with_groups(L, Make);
}

const luaL_Reg kFunctions[] = {{"sgd", with_groups<sgd>},
                               {"adam", with_groups<adam>},
                               {"adamw", with_groups<adamw>},
                               {"rmsprop", with_groups<rmsprop>},
                               {"adagrad", with_groups<adagrad>},
                               {"adadelta", with_groups<adadelta>},
                               {"adamax", with_groups<adamax>},
                               {"nadam", with_groups<nadam>},
                               {"radam", with_groups<radam>},
                               {"lion", with_groups<lion>},
                               {"schedule_free_adamw", with_groups<schedule_free_adamw>},
                               {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__index", index}, {"__newindex", new_index}, {"__tostring", to_string}, {nullptr, nullptr}};

}  // namespace

int open_optim(lua_State* L, Context& context) {
  define_type<OptimizerBox>(L, kOptimizerType, nullptr, kMeta);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
