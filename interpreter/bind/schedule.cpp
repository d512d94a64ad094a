// schedule.*: learning-rate (and other hyperparameter) curves. A schedule object is callable:
// s(t) is its value after t optimizer steps.
#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/cosine.hpp"
#include "runtime/schedule/exponential_decay.hpp"
#include "runtime/schedule/step.hpp"

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

int constant(lua_State* L) {
  Options options(L, 1, "schedule.constant", {"lr"});
  const double lr = options.required_number("lr");
  return make_schedule(L, "schedule.constant", [&] { return schedule::constant(lr); });
}

int step(lua_State* L) {
  Options options(L, 1, "schedule.step", {"lr", "step_size", "gamma"});
  const double lr = options.required_number("lr");
  const double step_size = options.required_number("step_size");
  const double gamma = options.number("gamma", 0.1);
  return make_schedule(L, "schedule.step", [&] { return schedule::step(lr, step_size, gamma); });
}

int exponential_decay(lua_State* L) {
  Options options(L, 1, "schedule.exponential_decay", {"lr", "decay_rate", "decay_steps", "staircase"});
  const double lr = options.required_number("lr");
  const double decay_rate = options.required_number("decay_rate");
  const double decay_steps = options.required_number("decay_steps");
  const bool staircase = options.boolean("staircase", false);
  return make_schedule(L, "schedule.exponential_decay",
                       [&] { return schedule::exponential_decay(lr, decay_rate, decay_steps, staircase); });
}

int cosine(lua_State* L) {
  Options options(L, 1, "schedule.cosine", {"lr", "T_max", "eta_min"});
  const double lr = options.required_number("lr");
  const double t_max = options.required_number("T_max");
  const double eta_min = options.number("eta_min", 0.0);
  return make_schedule(L, "schedule.cosine", [&] { return schedule::cosine(lr, t_max, eta_min); });
}

int call(lua_State* L) {
  const ScheduleBox& s = check_object<ScheduleBox>(L, 1, kScheduleType);
  const double t = luaL_checknumber(L, 2);
  if (t < 0) luaL_argerror(L, 1, "step must be >= 0");
  double value = 0;
  guarded(L, "schedule", [&] {
    value = (*s)(t);
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

const luaL_Reg kFunctions[] = {{"constant", constant},
                               {"step", step},
                               {"exponential_decay", exponential_decay},
                               {"cosine", cosine},
                               {nullptr, nullptr}};
const luaL_Reg kMetamethods[] = {{"__call", call}, {"__tostring", to_string}, {nullptr, nullptr}};

}  // namespace

int open_schedule(lua_State* L, Context& context) {
  define_type<ScheduleBox>(L, kScheduleType, nullptr, kMetamethods);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
