#pragma once
// A recipe's Lua hooks as a training callback. on_epoch_end(ctx) gets ctx.epoch (0-based),
// ctx.epochs, ctx.metrics (name -> value), ctx.lr and ctx:stop() to end training after this
// epoch; on_train_end(ctx) gets the last epoch's ctx and ctx.stop_reason.
#include <stdexcept>
#include <string>

#include <lua.hpp>

#include "runtime/optim/optimizer.hpp"
#include "runtime/train/callback.hpp"

namespace regimen::lua {

/// A Lua error raised inside a recipe's hook; the message carries the recipe's file:line.
struct HookError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The registry references of a recipe's hooks (LUA_NOREF when absent).
struct HookRefs {
  int on_epoch_end = LUA_NOREF;
  int on_train_end = LUA_NOREF;
  int on_step_end = LUA_NOREF;
};

/// ctx:stop() of a hook's ctx table: sets ctx.stopped, which the caller reads after the hook.
int request_stop(lua_State* L);

/// Calls the recipe's Lua hooks, each in a protected call.
class EpochHook final : public train::Callback {
 public:
  EpochHook(lua_State* L, HookRefs refs, const optim::Optimizer& optimizer, int epochs);

  /// Throws HookError when the hook raises an error.
  bool on_epoch_end(int epoch, const train::Metrics& metrics) override;
  std::string stop_reason() const override { return "on_epoch_end called ctx:stop()"; }
  /// Throws HookError when the hook raises an error.
  void on_train_end(const std::string& stop_reason) override;

 private:
  // Calls `function_ref` with a fresh ctx; returns whether it called ctx:stop().
  bool call(int function_ref, const std::string* stop_reason);

  lua_State* L_;
  HookRefs refs_;
  const optim::Optimizer& optimizer_;
  int epochs_;
  int last_epoch_ = -1;
  train::Metrics last_metrics_;
};

}  // namespace regimen::lua
