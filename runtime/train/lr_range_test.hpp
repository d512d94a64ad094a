#pragma once
// The learning-rate range test (Smith, "Cyclical Learning Rates", 2015/2017; fastai's lr_find):
// train for `steps` mini-batches with the rate growing exponentially from `from` to `to`,
//
//   lr_t = from * (to / from)^(t / (steps - 1)),   t = 0 .. steps - 1,
//
// record each step's loss, smooth it with a debiased exponential moving average
//
//   a_t = beta a_{t-1} + (1 - beta) loss_t,   smoothed_t = a_t / (1 - beta^(t+1)),
//
// and stop once the smoothed loss exceeds `diverge` times its minimum (or is not finite). Two
// suggestions come from the curve: the rate where the smoothed loss falls fastest, relative to
// its size, against log(lr) — the steepest descent of log(smoothed) over log(lr) — and the rate
// at its minimum divided by 10. The relative slope does not depend on the loss's scale, and on
// a quadratic (L/2)|w|^2 under gradient descent it lands at about 0.53/L, where the absolute
// slope (fastai's) lands at 0.3/L, early in the fall, where the loss is still large
// (tools/lr_range_quadratic.py simulates both).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/train/callback.hpp"

namespace regimen::train {

/// The test's settings.
struct LrRangeOptions {
  double from = 1e-7;
  double to = 10.0;
  int steps = 100;
  double beta = 0.98;    ///< smoothing of the loss
  double diverge = 4.0;  ///< stop when the smoothed loss exceeds this many times its minimum

  /// Throws InvalidArgument unless 0 < from < to (finite), steps >= 2, beta in [0, 1), diverge > 1.
  void check() const;
  /// The rate of step t (0-based).
  double lr_at(std::int64_t t) const;
};

/// The debiased moving average of the losses seen so far (the formula above).
class SmoothedLoss {
 public:
  explicit SmoothedLoss(double beta) : beta_(beta) {}
  /// Adds a step's loss; returns the smoothed value including it.
  double add(double loss);

 private:
  double beta_;
  double average_ = 0.0;
  std::size_t count_ = 0;
};

/// The recorded curve and what it suggests.
struct LrRangeCurve {
  std::vector<double> lrs;       ///< per step taken
  std::vector<double> losses;    ///< the step's loss, as trained
  std::vector<double> smoothed;  ///< the debiased moving average
  double steepest_lr = 0.0;      ///< where log(smoothed loss) falls fastest against log(lr)
  double min_lr = 0.0;           ///< where the smoothed loss is lowest
  bool diverged = false;         ///< the test stopped early on a diverging loss
};

/// Smooths `losses` (taken at options.lr_at(0), lr_at(1), ...; positive) and finds the
/// suggestions; the curve ends at the first step whose smoothed loss diverges. The steepest
/// descent is measured
/// between neighbours, leaving out the first tenth and the last twentieth of the points (noise
/// and divergence, as fastai does), or all points when there are fewer than 10.
LrRangeCurve analyze_lr_range(const std::vector<double>& losses, const LrRangeOptions& options);

/// Records each step's loss during the test and stops the run when the smoothed loss diverges.
class LrRangeRecorder final : public Callback {
 public:
  explicit LrRangeRecorder(LrRangeOptions options) : options_(options) {}
  bool on_step_end(const StepEnd& step) override;
  std::string stop_reason() const override { return reason_; }
  const std::vector<double>& losses() const { return losses_; }

 private:
  LrRangeOptions options_;
  std::vector<double> losses_;
  SmoothedLoss smoothed_{options_.beta};
  double best_ = 0.0;
  std::string reason_;
};

}  // namespace regimen::train
