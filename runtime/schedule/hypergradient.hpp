#pragma once
// Online learning-rate adaptation by hypergradient descent (Baydin, Cornish, Martinez Rubio,
// Schmidt & Wood, "Online Learning Rate Adaptation with Hypergradient Descent", ICLR 2018),
// the SGD-HD form (their Algorithm 1, with u_{t-1} = -lr * g_{t-1}):
//
//   lr_t = lr_{t-1} + beta * g_t . g_{t-1}        (lr_0 = lr; no change at the first step)
//   theta_t = theta_{t-1} - lr_t * g_t
//
// The rate grows while successive gradients agree and shrinks when they point against each
// other. The trainer calls observe_gradients(g_t) with the gradient the optimizer is about to
// apply, before the step; the schedule's value at any t is then lr_t. The dot product is
// accumulated in double. The state is lr_t and g_{t-1} (as many numbers as parameters).
//
// As in the paper, lr_t is not bounded: a negative rate makes the optimizer's step fail
// ("lr must be >= 0"). Wrap it as hypergradient{...}:clamp(0, hi): the clamped value is used,
// while the inner rate keeps adapting (and recovers once successive gradients agree again).
// The Adam-HD variant (which uses Adam's direction instead of g_{t-1}) is not this schedule.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/schedule/feedback.hpp"

namespace regimen::schedule {

/// The state of a hypergradient schedule, fed every step's gradient.
class Hypergradient final : public Feedback {
 public:
  /// lr >= 0, beta >= 0 (both finite).
  Hypergradient(double lr, double beta);

  std::string name() const override { return "hypergradient"; }
  bool wants_gradients() const override { return true; }
  /// Updates lr by beta * g . g_prev (from the second call on) and keeps a copy of g. Every
  /// gradient has the first one's (non-zero) length. No allocation after the first call.
  void observe_gradients(std::span<const float> gradient) override;
  /// {lr, g_prev...}: just {lr} before the first gradient.
  std::vector<double> state() const override;
  void set_state(std::span<const double> state) override;

  double lr() const { return lr_; }
  double beta() const { return beta_; }
  /// "hypergradient(lr=0.01, beta=0.0001)".
  std::string describe() const;

 private:
  double initial_lr_, beta_, lr_;
  std::vector<float> previous_;
};

/// A schedule whose value is the current lr_t; feedback_of() finds the Hypergradient.
SchedulePtr hypergradient(std::shared_ptr<Hypergradient> state);
/// hypergradient(std::make_shared<Hypergradient>(lr, beta)).
SchedulePtr hypergradient(double lr, double beta);

}  // namespace regimen::schedule
