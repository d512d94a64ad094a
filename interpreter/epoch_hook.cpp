#include "interpreter/epoch_hook.hpp"

namespace regimen::lua {
namespace {

int request_stop(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushboolean(L, 1);
  lua_setfield(L, 1, "stopped");
  return 0;
}

void push_context(lua_State* L, int epoch, const train::Metrics& metrics, double lr) {
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, epoch);
  lua_setfield(L, -2, "epoch");
  lua_pushnumber(L, lr);
  lua_setfield(L, -2, "lr");
  lua_createtable(L, 0, static_cast<int>(metrics.items().size()));
  for (const auto& [name, value] : metrics.items()) {
    lua_pushnumber(L, value);
    lua_setfield(L, -2, name.c_str());
  }
  lua_setfield(L, -2, "metrics");
  lua_pushcfunction(L, request_stop);
  lua_setfield(L, -2, "stop");
}

}  // namespace

EpochHook::EpochHook(lua_State* L, int function_ref, const optim::Optimizer& optimizer)
    : L_(L), function_ref_(function_ref), optimizer_(optimizer) {}

bool EpochHook::on_epoch_end(int epoch, const train::Metrics& metrics) {
  const int top = lua_gettop(L_);
  push_context(L_, epoch, metrics, optimizer_.current_lr());
  const int ctx = lua_gettop(L_);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, function_ref_);
  lua_pushvalue(L_, ctx);
  if (lua_pcall(L_, 1, 0, 0) != LUA_OK) {
    std::string message = lua_isstring(L_, -1) ? lua_tostring(L_, -1) : "on_epoch_end: error object is not a string";
    lua_settop(L_, top);
    throw HookError(message);
  }
  lua_getfield(L_, ctx, "stopped");
  const bool stop = lua_toboolean(L_, -1);
  lua_settop(L_, top);
  return stop;
}

}  // namespace regimen::lua
