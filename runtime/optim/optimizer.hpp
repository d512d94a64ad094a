#pragma once
// An optimizer updates a flat parameter buffer from a matching flat gradient buffer in one pass.
// Its learning rate is a schedule of the optimizer's own step counter; per-parameter state
// (moment buffers) is explicit, owned here, sized on the first step, and saved to bytes with
// save_state() (format in state_io.hpp) for checkpoints.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/schedule/schedule.hpp"

namespace regimen::optim {

class StateWriter;
class StateReader;

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

  /// steps() and every per-parameter buffer, as bytes (state_io.hpp has the format). The lr
  /// schedule and the options belong to the recipe and are not included.
  virtual std::vector<std::byte> save_state() const;
  /// Restores a save_state() of an optimizer with the same name and options, so that the next
  /// step is bit-identical to an uninterrupted run's. Throws InvalidArgument for a state of
  /// another optimizer or other options, DataError for damaged bytes; leaves this optimizer
  /// unchanged on any error.
  virtual void load_state(std::span<const std::byte> bytes);

 protected:
  virtual void update(std::span<float> params, std::span<const float> grads, double lr) = 0;
  /// Writes the per-parameter state as named fields. The default throws std::logic_error: an
  /// optimizer that cannot save must not pretend to.
  virtual void write_state(StateWriter& out) const;
  /// Reads what write_state wrote into a fresh state, calls in.finish(), then commits.
  virtual void read_state(StateReader& in);

 private:
  schedule::SchedulePtr lr_;
  std::int64_t steps_ = 0;
};

}  // namespace regimen::optim
