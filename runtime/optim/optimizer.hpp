#pragma once
// An optimizer updates a flat parameter buffer from a matching flat gradient buffer in one pass.
// Its learning rate is a schedule of the optimizer's own step counter; per-parameter state
// (moment buffers) is explicit, owned here, and sized on the first step.
#include <cstdint>
#include <span>
#include <string>

#include "runtime/schedule/schedule.hpp"

namespace regimen::optim {

/// A first-order update rule.
class Optimizer {
 public:
  explicit Optimizer(schedule::SchedulePtr lr) : lr_(std::move(lr)) {}
  virtual ~Optimizer() = default;

  /// The DSL name: "sgd", "adam".
  virtual std::string name() const = 0;
  /// One line for `regimen check`, options included.
  virtual std::string describe() const = 0;

  /// Applies one update: params -= f(grads, state). Both spans have the same length on every call.
  void step(std::span<float> params, std::span<const float> grads) {
    update(params, grads, current_lr());
    ++steps_;
  }
  /// The learning rate the next step uses.
  double current_lr() const { return (*lr_)(static_cast<double>(steps_)); }
  const schedule::SchedulePtr& lr() const { return lr_; }
  void set_lr(schedule::SchedulePtr lr) { lr_ = std::move(lr); }
  /// Steps taken so far.
  std::int64_t steps() const { return steps_; }

 protected:
  virtual void update(std::span<float> params, std::span<const float> grads, double lr) = 0;

 private:
  schedule::SchedulePtr lr_;
  std::int64_t steps_ = 0;
};

}  // namespace regimen::optim
