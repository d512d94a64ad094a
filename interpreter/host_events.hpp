#pragma once
// InterpreterOptions::on_epoch_end / on_step_end as a training callback: metrics converted to
// the API's plain types, a true return turned into a stop.
#include <string>

#include "regimen/interpreter.hpp"
#include "runtime/optim/optimizer.hpp"
#include "runtime/train/callback.hpp"

namespace regimen::lua {

/// Forwards a run's epochs and steps to the host's callbacks (either may be empty).
class HostEvents final : public train::Callback {
 public:
  /// Both must outlive the callback.
  HostEvents(const InterpreterOptions& options, const optim::Optimizer& optimizer);

  bool on_epoch_end(int epoch, const train::Metrics& metrics) override;
  bool on_step_end(const train::StepEnd& step) override;
  std::string stop_reason() const override { return stop_reason_; }

 private:
  const InterpreterOptions& options_;
  const optim::Optimizer& optimizer_;
  std::string stop_reason_;
};

}  // namespace regimen::lua
