// early_stop{...}: Keras' EarlyStopping. In a recipe it watches a metric per epoch; imperatively,
// es:observe(value) feeds one epoch and returns true when training should stop.
#include <string>

#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"

namespace regimen::lua {
namespace {

int early_stop(lua_State* L) {
  Options options(L, 1, "early_stop",
                  {"monitor", "mode", "min_delta", "patience", "baseline", "restore_best", "start_from_epoch"}, true);
  train::EarlyStopOptions o;
  o.monitor = options.string("monitor", o.monitor.c_str());
  o.mode = options.string("mode", o.mode.c_str());
  o.min_delta = options.number("min_delta", o.min_delta);
  o.patience = static_cast<int>(options.integer("patience", o.patience));
  o.baseline = options.number("baseline");
  o.restore_best = options.boolean("restore_best", o.restore_best);
  o.start_from_epoch = static_cast<int>(options.integer("start_from_epoch", o.start_from_epoch));
  EarlyStopBox built;
  guarded(L, "early_stop", [&] {
    built = std::make_shared<train::EarlyStop>(o);
    return 0;
  });
  push_object<EarlyStopBox>(L, kEarlyStopType, std::move(built));
  return 1;
}

int observe(lua_State* L) {
  EarlyStopBox& es = check_object<EarlyStopBox>(L, 1, kEarlyStopType);
  const double value = luaL_checknumber(L, 2);
  // Imperative use counts epochs itself: the n-th call is epoch n-1.
  lua_getiuservalue(L, 1, 1);
  const int epoch = static_cast<int>(lua_tointeger(L, -1));
  lua_pop(L, 1);
  lua_pushinteger(L, epoch + 1);
  lua_setiuservalue(L, 1, 1);
  bool stop = false;
  guarded(L, "early_stop:observe", [&] {
    stop = es->observe(epoch, value).stop;
    return 0;
  });
  lua_pushboolean(L, stop);
  return 1;
}

int index(lua_State* L) {
  const EarlyStopBox& es = check_object<EarlyStopBox>(L, 1, kEarlyStopType);
  const std::string key = luaL_checkstring(L, 2);
  if (key == "observe") {
    lua_pushcfunction(L, observe);
  } else if (key == "best_epoch") {
    lua_pushinteger(L, es->best_epoch());
  } else if (key == "best_value") {
    lua_pushnumber(L, es->best_value());
  } else if (key == "stopped_epoch") {
    lua_pushinteger(L, es->stopped_epoch());
  } else if (key == "wait") {
    lua_pushinteger(L, es->wait());
  } else {
    lua_pushnil(L);
  }
  return 1;
}

int to_string(lua_State* L) {
  const std::string text = check_object<EarlyStopBox>(L, 1, kEarlyStopType)->describe();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

const luaL_Reg kMeta[] = {{"__index", index}, {"__tostring", to_string}, {nullptr, nullptr}};

}  // namespace

int open_early_stop(lua_State* L, Context& context) {
  define_type<EarlyStopBox>(L, kEarlyStopType, nullptr, kMeta);
  lua_pushlightuserdata(L, &context);
  lua_pushcclosure(L, early_stop, 1);
  return 1;
}

}  // namespace regimen::lua
