#pragma once
// A recipe's on_step_end(ctx) hook as a training callback, called after every optimizer step
// with ctx.epoch (0-based), ctx.epochs, ctx.step (steps done, this one included), ctx.lr (the
// next step's), ctx.loss (this step's loss) and ctx:stop() to end training at once (the epoch
// is cut short but still reported). One ctx table is made per run and refilled each step, so a
// step allocates nothing on the C++ side.
#include <string>

#include <lua.hpp>

#include "runtime/optim/optimizer.hpp"
#include "runtime/train/callback.hpp"

namespace regimen::lua {

/// Calls on_step_end in a protected call; throws HookError when it raises.
class StepHook final : public train::Callback {
 public:
  /// `function_ref` is a registry reference to the hook (the recipe keeps it).
  StepHook(lua_State* L, int function_ref, const optim::Optimizer& optimizer, int epochs);
  ~StepHook() override;
  StepHook(const StepHook&) = delete;
  StepHook& operator=(const StepHook&) = delete;

  bool on_step_end(const train::StepEnd& step) override;
  /// "on_step_end called ctx:stop() at epoch 2, step 57".
  std::string stop_reason() const override { return reason_; }

 private:
  lua_State* L_;
  int function_ref_;
  int ctx_ref_;
  const optim::Optimizer& optimizer_;
  std::string reason_;
};

}  // namespace regimen::lua
