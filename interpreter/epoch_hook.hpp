#pragma once
// A recipe's on_epoch_end(ctx) as a training callback. ctx.epoch (0-based), ctx.metrics
// (name -> value), ctx.lr, and ctx:stop() to end training after this epoch.
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

/// Calls a Lua function (held by registry reference) after every epoch, in a protected call.
class EpochHook final : public train::Callback {
 public:
  EpochHook(lua_State* L, int function_ref, const optim::Optimizer& optimizer);

  /// Throws HookError when the hook raises an error.
  bool on_epoch_end(int epoch, const train::Metrics& metrics) override;
  std::string stop_reason() const override { return "on_epoch_end called ctx:stop()"; }

 private:
  lua_State* L_;
  int function_ref_;
  const optim::Optimizer& optimizer_;
};

}  // namespace regimen::lua
