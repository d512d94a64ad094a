#include "interpreter/step_hook.hpp"

#include "interpreter/epoch_hook.hpp"

namespace regimen::lua {

StepHook::StepHook(lua_State* L, int function_ref, const optim::Optimizer& optimizer, int epochs)
    : L_(L), function_ref_(function_ref), optimizer_(optimizer) {
  // Every field exists from the start: refilling an existing key allocates nothing.
  lua_createtable(L_, 0, 8);
  lua_pushinteger(L_, epochs);
  lua_setfield(L_, -2, "epochs");
  for (const char* key : {"epoch", "step", "lr", "loss"}) {
    lua_pushinteger(L_, 0);
    lua_setfield(L_, -2, key);
  }
  lua_pushboolean(L_, 0);
  lua_setfield(L_, -2, "stopped");
  lua_pushcfunction(L_, request_stop);
  lua_setfield(L_, -2, "stop");
  ctx_ref_ = luaL_ref(L_, LUA_REGISTRYINDEX);
}

StepHook::~StepHook() { luaL_unref(L_, LUA_REGISTRYINDEX, ctx_ref_); }

bool StepHook::on_step_end(const train::StepEnd& step) {
  const double lr = optimizer_.current_lr();  // may call a Lua schedule and throw: before any push
  const int top = lua_gettop(L_);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, function_ref_);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, ctx_ref_);
  const int ctx = lua_gettop(L_);
  lua_pushinteger(L_, step.epoch);
  lua_setfield(L_, ctx, "epoch");
  lua_pushinteger(L_, step.step);
  lua_setfield(L_, ctx, "step");
  lua_pushnumber(L_, lr);
  lua_setfield(L_, ctx, "lr");
  lua_pushnumber(L_, step.loss);
  lua_setfield(L_, ctx, "loss");
  lua_pushvalue(L_, ctx);
  lua_insert(L_, ctx - 1);  // function, ctx (argument), ctx (kept to read `stopped`)
  if (lua_pcall(L_, 1, 0, 0) != LUA_OK) {
    std::string message = lua_isstring(L_, -1) ? lua_tostring(L_, -1) : "on_step_end: error object is not a string";
    lua_settop(L_, top);
    throw HookError(message);
  }
  lua_getfield(L_, -1, "stopped");
  const bool stop = lua_toboolean(L_, -1);
  lua_settop(L_, top);
  if (stop)
    reason_ = "on_step_end called ctx:stop() at epoch " + std::to_string(step.epoch + 1) + ", step " +
              std::to_string(step.step);
  return stop;
}

}  // namespace regimen::lua
