#pragma once
// A bounded summary of a run's step losses for the diagnostics (diagnostics.hpp): the first
// step's loss, the mean of the first and of the last few optimizer steps of the first epoch,
// and where a loss first stopped being finite. A step's loss is its batch's mean loss, penalty included, like the
// epoch's `loss` it is compared with. Fixed-size buffers: recording a step allocates nothing.
// The recorder also warns once, as soon as it is clear, that the learning rate is too large:
// a non-finite step loss, or the mean of the last 10 steps' losses over 10x the first step's
// (a mean, so that one unlucky batch does not warn).
#include <array>
#include <cstdint>
#include <limits>
#include <ostream>

#include "runtime/train/callback.hpp"

namespace regimen::train {

/// What LossTraceRecorder kept of a run's step losses.
struct LossTrace {
  static constexpr int kWindow = 10;  ///< steps averaged at each end of the first epoch
  /// The first step's loss: the loss at the initial weights (computed before the first update).
  double first = std::numeric_limits<double>::quiet_NaN();
  /// Mean of the first min(kWindow, n) step losses: the loss near the initial weights.
  double start = std::numeric_limits<double>::quiet_NaN();
  /// Mean of the first epoch's last min(kWindow, n) step losses (overlapping `start` when the
  /// epoch has fewer than 2·kWindow steps).
  double first_epoch_end = std::numeric_limits<double>::quiet_NaN();
  int first_epoch_steps = 0;
  int nonfinite_epoch = -1;          ///< 0-based epoch of the first non-finite step loss; -1: none
  std::int64_t nonfinite_step = -1;  ///< its optimizer step in the run, from 1
  /// The first time the mean of the last min(kWindow, n) step losses exceeded
  /// LossTraceRecorder::kLiveBlowUpFactor x `first`: its 0-based epoch (-1: never), its step,
  /// and that mean.
  int blow_up_epoch = -1;
  std::int64_t blow_up_step = -1;
  double blow_up_loss = std::numeric_limits<double>::quiet_NaN();
  bool has_start() const { return first_epoch_steps > 0; }
};

/// Records a LossTrace while a run trains; optionally prints one live warning.
class LossTraceRecorder final : public Callback {
 public:
  /// The live blow-up margin (the default of DiagnosticThresholds::blow_up_factor).
  static constexpr double kLiveBlowUpFactor = 10.0;
  /// `warnings` (not owned) gets at most one "warning: ..." line; null = silent.
  explicit LossTraceRecorder(std::ostream* warnings = nullptr) : warnings_(warnings) {}

  bool on_step_end(const StepEnd& step) override;
  bool on_epoch_end(int epoch, const Metrics& metrics) override;
  /// The summary so far (complete once the first epoch ended).
  const LossTrace& trace() const { return trace_; }

 private:
  void warn(const char* what, int epoch);
  double recent_mean() const;  ///< of the last min(kWindow, steps) finite step losses

  std::ostream* warnings_;
  LossTrace trace_;
  std::array<double, LossTrace::kWindow> last_{};  ///< ring of the latest step losses
  std::int64_t steps_ = 0;
  double first_sum_ = 0.0;
  bool warned_ = false;
};

}  // namespace regimen::train
