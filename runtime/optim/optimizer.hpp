#pragma once
// An optimizer updates a flat parameter buffer from a matching flat gradient buffer in one pass.
// Its learning rate is a schedule of the optimizer's own step counter; per-parameter state
// (moment buffers) is explicit, owned here, sized on the first step, and saved to bytes with
// save_state() (format in state_io.hpp) for checkpoints.
//
// Other options may follow a schedule too (momentum, betas[1], weight_decay; option_fields.hpp
// says how an optimizer opts in): before every step each is set to its schedule's value at
// the step counter and validated as the constructor validates it.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/schedule/schedule.hpp"

namespace regimen {
class ParameterArena;
}

namespace regimen::optim {

class StateWriter;
class StateReader;

/// An option driven by a schedule: its recipe name ("momentum", "betas[1]") and the schedule.
struct ScheduledOption {
  std::string name;
  schedule::SchedulePtr schedule;
};

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
    if (!scheduled_.empty()) apply_scheduled_options();
    const double lr = current_lr();
    if (!(lr >= 0.0) || !std::isfinite(lr)) reject_lr(lr);
    update(params, grads, lr);
    ++steps_;
  }
  /// The same update on float64 parameters, with the rule's double kernel (the precision of the
  /// PyTorch fixtures). An optimizer steps one dtype: after float32 steps a float64 step throws
  /// InvalidArgument, and the other way round.
  void step(std::span<double> params, std::span<const double> grads) {
    if (!scheduled_.empty()) apply_scheduled_options();
    const double lr = current_lr();
    if (!(lr >= 0.0) || !std::isfinite(lr)) reject_lr(lr);
    update_float64(params, grads, lr);
    ++steps_;
  }
  /// The learning rate the next step uses: the schedule's value times lr_scale().
  double current_lr() const { return (*lr_)(static_cast<double>(steps_)) * lr_scale_; }
  /// A factor on every scheduled value from now on (on_nan's halve_lr); 1 by default. Owned by
  /// the trainer, which saves it: it is not part of save_state().
  void set_lr_scale(double scale) { lr_scale_ = scale; }
  double lr_scale() const { return lr_scale_; }
  const schedule::SchedulePtr& lr() const { return lr_; }
  /// Replaces the learning-rate schedule from the next step on.
  virtual void set_lr(schedule::SchedulePtr lr) { lr_ = std::move(lr); }
  /// Steps taken so far.
  std::int64_t steps() const { return steps_; }

  /// Makes option `name` follow `value` from the next step on (replacing an earlier schedule of
  /// it). Throws InvalidArgument for a name this optimizer cannot schedule ("sgd: 'dampening'
  /// cannot follow a schedule (momentum, weight_decay can)"), and for a bad value at the current
  /// step when the schedule can be evaluated now (schedule::depends_on_run).
  void schedule_option(const std::string& name, schedule::SchedulePtr value);
  /// The options following a schedule, in the order they were given.
  const std::vector<ScheduledOption>& scheduled_options() const { return scheduled_; }
  /// The current value of a schedulable option ("momentum"), nullopt for other names.
  virtual std::optional<double> option(std::string_view /*name*/) const { return std::nullopt; }
  /// The names option() knows, among momentum, betas[1], betas[2], weight_decay.
  std::vector<std::string> schedulable_options() const;

  /// Called with the model's arena before the first step. A grouped optimizer lays the arena out
  /// so that each parameter group is contiguous (grouped_optimizer.hpp); others need nothing.
  virtual void prepare(ParameterArena& /*arena*/) {}
  /// The optimizers that do the updating: this one, or each parameter group's.
  virtual std::vector<const Optimizer*> parts() const { return {this}; }
  std::vector<Optimizer*> parts() {
    std::vector<Optimizer*> mutable_parts;
    for (const Optimizer* part : std::as_const(*this).parts()) mutable_parts.push_back(const_cast<Optimizer*>(part));
    return mutable_parts;
  }
  /// Every schedule the parts evaluate (lr, then scheduled options), each once.
  std::vector<schedule::SchedulePtr> schedules() const;

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
  /// The float64 update; the default throws InvalidArgument ("<name> cannot step float64 parameters").
  virtual void update_float64(std::span<double> params, std::span<const double> grads, double lr);
  /// Sets a schedulable option for the next update, validating it (throws InvalidArgument);
  /// false, changing nothing, when `name` is not one.
  virtual bool set_option(std::string_view /*name*/, double /*value*/) { return false; }
  /// Writes the per-parameter state as named fields. The default throws std::logic_error: an
  /// optimizer that cannot save must not pretend to.
  virtual void write_state(StateWriter& out) const;
  /// Reads what write_state wrote into a fresh state, calls in.finish(), then commits.
  virtual void read_state(StateReader& in);

 private:
  void apply_scheduled_options();
  /// Throws InvalidArgument: "lr must be >= 0, got -0.1 at step 12".
  [[noreturn]] void reject_lr(double lr) const;

  schedule::SchedulePtr lr_;
  std::int64_t steps_ = 0;
  double lr_scale_ = 1.0;
  std::vector<ScheduledOption> scheduled_;
};

}  // namespace regimen::optim
