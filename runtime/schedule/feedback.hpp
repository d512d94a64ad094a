#pragma once
// The mutable half of a stateful schedule. A Schedule is immutable and shared; a stateful one
// (plateau, hypergradient) reads its current value from a Feedback object, which the trainer
// feeds and checkpoints:
//
//   * at each epoch end, for every Feedback f with a non-empty f.monitor():
//       f.observe(metrics[f.monitor()])                     (ReduceLROnPlateau's step(metric))
//   * at each optimizer step, after the gradient is known and before the optimizer reads its
//     lr, for every f with f.wants_gradients():
//       f.observe_gradients(flat_gradient)                  (hypergradient descent)
//   * on checkpoint, f.state() for each f in feedback_of(...) order; on resume, set_state().
//
// Like a callback, a Feedback implements only the hooks it needs (the others do nothing).
// Its state is a flat list of doubles so that a checkpoint can store it without knowing the
// type; restoring it makes the schedule continue bit-identically.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// Training signals a stateful schedule learns from, and the state it keeps.
class Feedback {
 public:
  virtual ~Feedback() = default;

  /// The DSL name of the schedule it drives: "plateau", "hypergradient".
  virtual std::string name() const = 0;

  /// The metric fed to observe() once per epoch ("val_loss"); "" when it follows none.
  virtual std::string monitor() const { return {}; }
  /// One epoch's value of monitor().
  virtual void observe(double /*metric*/) {}

  /// True when it wants observe_gradients() at every optimizer step.
  virtual bool wants_gradients() const { return false; }
  /// The flat gradient of the step about to be taken (before the optimizer's update).
  virtual void observe_gradients(std::span<const float> /*gradient*/) {}

  /// Everything observed so far, as numbers; set_state(state()) is a no-op.
  virtual std::vector<double> state() const = 0;
  /// Restores a state() (throws InvalidArgument for one of the wrong shape).
  virtual void set_state(std::span<const double> state) = 0;
};

using FeedbackPtr = std::shared_ptr<Feedback>;

/// The Feedback objects inside `schedules`, each once, in order of first appearance. A
/// schedule used for two hyperparameters (or twice in one product) is fed once.
std::vector<FeedbackPtr> feedback_of(std::span<const SchedulePtr> schedules);
std::vector<FeedbackPtr> feedback_of(const SchedulePtr& schedule);

}  // namespace regimen::schedule
