#pragma once
// The planned length of a run in optimizer steps, epoch by epoch: what turns "5 epochs" or
// "10%" into steps, and a step into the epoch holding it (by = "epoch"). A schedule counts
// optimizer updates, so with gradient accumulation an epoch of 100 batches accumulated 4 at a
// time is 25 steps; with a scheduled batch size the epochs differ in length.
#include <vector>

namespace regimen::schedule {

/// Steps per epoch, epoch by epoch.
class RunLength {
 public:
  /// `epochs` epochs of `steps_per_epoch` steps each (steps_per_epoch > 0, epochs >= 0).
  static RunLength uniform(double steps_per_epoch, int epochs);
  /// One entry per epoch (each > 0); `first_epoch` is the length of an epoch when there are
  /// none (a run of 0 epochs still has an epoch length). Empty `steps` means 0 epochs.
  static RunLength of_epochs(std::vector<double> steps, double first_epoch);

  int epochs() const { return static_cast<int>(starts_.size()) - 1; }
  /// Steps of the first epoch (the epoch length "5 epochs" means when all epochs are equal).
  double steps_per_epoch() const { return first_; }
  /// Steps of the whole run.
  double total_steps() const { return starts_.back(); }

  /// Steps done when (fractional) epoch e starts: 0 at e = 0, total_steps() at e = epochs().
  /// Past the end the run continues with epochs as long as its last one.
  double steps_at_epoch(double e) const;
  /// The (whole) epoch that step t falls in: e with steps_at_epoch(e) <= t < steps_at_epoch(e + 1).
  double epoch_at(double t) const;

  /// The same run counted in epochs: one step per epoch. Schedules with by = "epoch" resolve
  /// their lengths against it.
  RunLength in_epochs() const { return uniform(1.0, epochs()); }

  bool operator==(const RunLength&) const = default;

 private:
  double last_epoch() const;

  std::vector<double> starts_{0.0};  ///< starts_[e] = steps before epoch e; back() = total
  double first_ = 1.0;
};

}  // namespace regimen::schedule
