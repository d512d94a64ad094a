#include "interpreter/epoch_hook.hpp"

namespace regimen::lua {

int request_stop(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushboolean(L, 1);
  lua_setfield(L, 1, "stopped");
  return 0;
}

EpochHook::EpochHook(lua_State* L, HookRefs refs, const optim::Optimizer& optimizer, int epochs)
    : L_(L), refs_(refs), optimizer_(optimizer), epochs_(epochs) {}

bool EpochHook::on_epoch_end(int epoch, const train::Metrics& metrics) {
  last_epoch_ = epoch;
  last_metrics_ = metrics;
  return refs_.on_epoch_end != LUA_NOREF && call(refs_.on_epoch_end, nullptr);
}

void EpochHook::on_train_end(const std::string& stop_reason) {
  if (refs_.on_train_end != LUA_NOREF) call(refs_.on_train_end, &stop_reason);
}

bool EpochHook::call(int function_ref, const std::string* stop_reason) {
  const int top = lua_gettop(L_);
  const double lr = optimizer_.current_lr();  // may call a Lua schedule and throw: before any push
  lua_createtable(L_, 0, 6);
  const int ctx = lua_gettop(L_);
  lua_pushinteger(L_, last_epoch_);
  lua_setfield(L_, ctx, "epoch");
  lua_pushinteger(L_, epochs_);
  lua_setfield(L_, ctx, "epochs");
  lua_pushnumber(L_, lr);
  lua_setfield(L_, ctx, "lr");
  lua_createtable(L_, 0, static_cast<int>(last_metrics_.items().size()));
  for (const auto& [name, value] : last_metrics_.items()) {
    lua_pushnumber(L_, value);
    lua_setfield(L_, -2, name.c_str());
  }
  lua_setfield(L_, ctx, "metrics");
  lua_pushcfunction(L_, request_stop);
  lua_setfield(L_, ctx, "stop");
  if (stop_reason) {
    lua_pushlstring(L_, stop_reason->data(), stop_reason->size());
    lua_setfield(L_, ctx, "stop_reason");
  }
  lua_rawgeti(L_, LUA_REGISTRYINDEX, function_ref);
  lua_pushvalue(L_, ctx);
  if (lua_pcall(L_, 1, 0, 0) != LUA_OK) {
    std::string message = lua_isstring(L_, -1) ? lua_tostring(L_, -1) : "hook: error object is not a string";
    lua_settop(L_, top);
    throw HookError(message);
  }
  lua_getfield(L_, ctx, "stopped");
  const bool stop = lua_toboolean(L_, -1);
  lua_settop(L_, top);
  return stop;
}

}  // namespace regimen::lua
