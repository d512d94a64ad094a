// optim.*: update rules with PyTorch's option names and defaults. `opt.lr` reads the learning
// rate of the next step and accepts a number or a schedule. `convention = "keras"` (sgd,
// rmsprop, adam) switches to Keras' numerics and, for options left out, to Keras' defaults.
#include <array>
#include <cstring>
#include <string>

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

std::array<double, 2> read_betas(const Options& options, std::array<double, 2> betas) {
  if (auto given = options.numbers("betas")) {
    if (given->size() != 2) {
      given.reset();
      raise(options.state(), std::string(options.function()) +
                                 ": option 'betas' must hold two numbers, like {0.9, 0.999}");
    }
    betas = {(*given)[0], (*given)[1]};
  }
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
                   const OptionsT& o) {
  OptimizerBox built;
  guarded(L, function, [&] {
    built = std::make_shared<Optim>(lr ? std::move(lr) : schedule::constant(default_lr), o);
    return 0;
  });
  push_object<OptimizerBox>(L, kOptimizerType, std::move(built));
  return 1;
}

int sgd(lua_State* L) {
  Options options(L, 1, "optim.sgd",
                  {"lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize", "convention"});
  optim::SgdOptions o;
  o.convention = read_convention(options);
  o.momentum = options.number("momentum", o.momentum);
  o.dampening = options.number("dampening", o.dampening);
  o.nesterov = options.boolean("nesterov", o.nesterov);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.maximize = options.boolean("maximize", o.maximize);
  // PyTorch's SGD has no default lr; Keras' has 0.01.
  const bool keras = o.convention == optim::Convention::keras;
  return make_optimizer<optim::Sgd>(L, "optim.sgd", read_lr(options, !keras), 0.01, o);
}

int adam(lua_State* L) {
  Options options(L, 1, "optim.adam",
                  {"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "convention"});
  optim::AdamOptions o;
  if (read_convention(options) == optim::Convention::keras) o = optim::AdamOptions::keras();
  o.betas = read_betas(options, o.betas);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.amsgrad = options.boolean("amsgrad", o.amsgrad);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Adam>(L, "optim.adam", read_lr(options, false), 1e-3, o);
}

int adamw(lua_State* L) {
  Options options(L, 1, "optim.adamw", {"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"});
  optim::AdamWOptions o;
  o.betas = read_betas(options, o.betas);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.amsgrad = options.boolean("amsgrad", o.amsgrad);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::AdamW>(L, "optim.adamw", read_lr(options, false), 1e-3, o);
}

int rmsprop(lua_State* L) {
  Options options(L, 1, "optim.rmsprop",
                  {"lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize", "convention"});
  optim::RmspropOptions o;
  const bool keras = read_convention(options) == optim::Convention::keras;
  if (keras) o = optim::RmspropOptions::keras();
  o.alpha = options.number("alpha", o.alpha);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.momentum = options.number("momentum", o.momentum);
  o.centered = options.boolean("centered", o.centered);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Rmsprop>(L, "optim.rmsprop", read_lr(options, false), keras ? 1e-3 : 1e-2, o);
}

int adagrad(lua_State* L) {
  Options options(L, 1, "optim.adagrad",
                  {"lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize"});
  optim::AdagradOptions o;
  o.lr_decay = options.number("lr_decay", o.lr_decay);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.initial_accumulator_value = options.number("initial_accumulator_value", o.initial_accumulator_value);
  o.eps = options.number("eps", o.eps);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Adagrad>(L, "optim.adagrad", read_lr(options, false), 1e-2, o);
}

int adadelta(lua_State* L) {
  Options options(L, 1, "optim.adadelta", {"lr", "rho", "eps", "weight_decay", "maximize"});
  optim::AdadeltaOptions o;
  o.rho = options.number("rho", o.rho);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Adadelta>(L, "optim.adadelta", read_lr(options, false), 1.0, o);
}

int adamax(lua_State* L) {
  Options options(L, 1, "optim.adamax", {"lr", "betas", "eps", "weight_decay", "maximize"});
  optim::AdamaxOptions o;
  o.betas = read_betas(options, o.betas);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer<optim::Adamax>(L, "optim.adamax", read_lr(options, false), 2e-3, o);
}

int nadam(lua_State* L) {
  Options options(L, 1, "optim.nadam", {"lr", "betas", "eps", "weight_decay", "momentum_decay"});
  optim::NadamOptions o;
  o.betas = read_betas(options, o.betas);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.momentum_decay = options.number("momentum_decay", o.momentum_decay);
  return make_optimizer<optim::Nadam>(L, "optim.nadam", read_lr(options, false), 2e-3, o);
}

int radam(lua_State* L) {
  Options options(L, 1, "optim.radam", {"lr", "betas", "eps", "weight_decay"});
  optim::RadamOptions o;
  o.betas = read_betas(options, o.betas);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  return make_optimizer<optim::Radam>(L, "optim.radam", read_lr(options, false), 1e-3, o);
}

int lion(lua_State* L) {
  Options options(L, 1, "optim.lion", {"lr", "betas", "weight_decay"});
  optim::LionOptions o;
  o.betas = read_betas(options, o.betas);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  return make_optimizer<optim::Lion>(L, "optim.lion", read_lr(options, false), 1e-4, o);
}

int schedule_free_adamw(lua_State* L) {
  Options options(L, 1, "optim.schedule_free_adamw",
                  {"lr", "betas", "eps", "weight_decay", "warmup_steps", "r", "weight_lr_power"});
  optim::ScheduleFreeAdamWOptions o;
  o.betas = read_betas(options, o.betas);
  o.eps = options.number("eps", o.eps);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.warmup_steps = options.integer("warmup_steps", o.warmup_steps);
  o.r = options.number("r", o.r);
  o.weight_lr_power = options.number("weight_lr_power", o.weight_lr_power);
  return make_optimizer<optim::ScheduleFreeAdamW>(L, "optim.schedule_free_adamw", read_lr(options, false),
                                                  2.5e-3, o);
}

int index(lua_State* L) {
  const OptimizerBox& optimizer = check_object<OptimizerBox>(L, 1, kOptimizerType);
  const std::string key = luaL_checkstring(L, 2);
  if (key == "lr") {
    lua_pushnumber(L, optimizer->current_lr());
    return 1;
  }
  if (key == "steps") {
    lua_pushinteger(L, optimizer->steps());
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
    if (!((*lr)(0.0) >= 0.0)) throw std::invalid_argument("lr must be >= 0");
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

const luaL_Reg kFunctions[] = {{"sgd", sgd},
                               {"adam", adam},
                               {"adamw", adamw},
                               {"rmsprop", rmsprop},
                               {"adagrad", adagrad},
                               {"adadelta", adadelta},
                               {"adamax", adamax},
                               {"nadam", nadam},
                               {"radam", radam},
                               {"lion", lion},
                               {"schedule_free_adamw", schedule_free_adamw},
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
