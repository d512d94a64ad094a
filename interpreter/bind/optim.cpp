// optim.*: update rules with PyTorch's option names and defaults. `opt.lr` reads the learning
// rate of the next step and accepts a number or a schedule.
#include <string>

#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/optim/adam.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/schedule/constant.hpp"

namespace regimen::lua {
namespace {

// The `lr` option: a number or a schedule; required when `fallback` is negative.
schedule::SchedulePtr read_lr(const Options& options, double fallback) {
  lua_State* L = options.state();
  const int type = options.push("lr");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    if (fallback < 0) options.missing("lr");
    return nullptr;  // the caller builds the constant inside its guard
  }
  schedule::SchedulePtr lr = to_schedule(L, -1, options.function());
  if (!lr) options.type_error("lr", "number or schedule");
  lua_pop(L, 1);
  return lr;
}

template <typename Make>
int make_optimizer(lua_State* L, const char* function, Make&& make) {
  OptimizerBox built;
  guarded(L, function, [&] {
    built = make();
    return 0;
  });
  push_object<OptimizerBox>(L, kOptimizerType, std::move(built));
  return 1;
}

int sgd(lua_State* L) {
  Options options(L, 1, "optim.sgd", {"lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize"});
  schedule::SchedulePtr lr = read_lr(options, -1);
  optim::SgdOptions o;
  o.momentum = options.number("momentum", o.momentum);
  o.dampening = options.number("dampening", o.dampening);
  o.nesterov = options.boolean("nesterov", o.nesterov);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer(L, "optim.sgd", [&] { return std::make_shared<optim::Sgd>(lr, o); });
}

int adam(lua_State* L) {
  Options options(L, 1, "optim.adam", {"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"});
  schedule::SchedulePtr lr = read_lr(options, 1e-3);
  optim::AdamOptions o;
  if (auto betas = options.numbers("betas")) {
    if (betas->size() != 2) raise(L, "optim.adam: option 'betas' must hold two numbers, like {0.9, 0.999}");
    o.betas = {(*betas)[0], (*betas)[1]};
  }
  o.eps = options.number("eps", o.eps);
  o.weight_decay = options.number("weight_decay", o.weight_decay);
  o.amsgrad = options.boolean("amsgrad", o.amsgrad);
  o.maximize = options.boolean("maximize", o.maximize);
  return make_optimizer(L, "optim.adam", [&] {
    return std::make_shared<optim::Adam>(lr ? lr : schedule::constant(1e-3), o);
  });
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

const luaL_Reg kFunctions[] = {{"sgd", sgd}, {"adam", adam}, {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__index", index}, {"__newindex", new_index}, {"__tostring", to_string}, {nullptr, nullptr}};

}  // namespace

int open_optim(lua_State* L, Context& context) {
  define_type<OptimizerBox>(L, kOptimizerType, nullptr, kMeta);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
