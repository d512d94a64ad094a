#pragma once
// Reduce the rate when a metric stops improving: PyTorch's ReduceLROnPlateau
// (torch/optim/lr_scheduler.py), step for step. After each epoch, observe(metric):
//
//   better = metric < best * (1 - threshold)   (mode min, threshold_mode rel)
//            metric < best - threshold         (min, abs)
//            metric > best * (1 + threshold)   (max, rel)
//            metric > best + threshold         (max, abs)
//   if better: best = metric, num_bad_epochs = 0  else num_bad_epochs += 1
//   if cooldown_counter > 0: cooldown_counter -= 1, num_bad_epochs = 0
//   if num_bad_epochs > patience:
//       new = max(lr * factor, min_lr);  if lr - new > eps: lr = new
//       cooldown_counter = cooldown, num_bad_epochs = 0
//
// with best = +inf (min) or -inf (max) at the start, so the first metric is always an
// improvement. The schedule's value at any t is the current lr: the rate moves only when a
// metric is observed. A NaN metric is never better (it counts as a bad epoch), as in PyTorch.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/schedule/feedback.hpp"

namespace regimen::schedule {

/// PyTorch's names and defaults, and the metric to follow (a Keras metric name).
struct PlateauOptions {
  double lr = 0.0;
  std::string mode = "min";
  double factor = 0.1;
  int patience = 10;
  double threshold = 1e-4;
  std::string threshold_mode = "rel";
  int cooldown = 0;
  double min_lr = 0.0;
  double eps = 1e-8;
  std::string monitor = "val_loss";
};

/// The state of a plateau schedule, fed one metric per epoch.
class Plateau final : public Feedback {
 public:
  /// Validates: lr >= 0, mode "min"/"max", factor in [0, 1), patience >= 0, threshold >= 0,
  /// threshold_mode "rel"/"abs", cooldown >= 0, min_lr >= 0, eps >= 0, monitor not empty.
  explicit Plateau(PlateauOptions options);

  std::string name() const override { return "plateau"; }
  std::string monitor() const override { return options_.monitor; }
  void observe(double metric) override;
  /// {lr, best, num_bad_epochs, cooldown_counter}; best is +-inf before the first metric.
  std::vector<double> state() const override;
  void set_state(std::span<const double> state) override;

  double lr() const { return lr_; }
  double best() const { return best_; }
  int num_bad_epochs() const { return num_bad_epochs_; }
  int cooldown_counter() const { return cooldown_counter_; }
  const PlateauOptions& options() const { return options_; }
  /// "plateau(lr=0.1, mode=min, factor=0.1, patience=10, threshold=0.0001, threshold_mode=rel,
  /// cooldown=0, min_lr=0, eps=1e-08, monitor=val_loss)".
  std::string describe() const;

 private:
  bool is_better(double metric) const;

  PlateauOptions options_;
  double lr_;
  double best_;
  int num_bad_epochs_ = 0;
  int cooldown_counter_ = 0;
};

/// A schedule whose value is the plateau's current lr; feedback_of() finds the Plateau.
SchedulePtr plateau(std::shared_ptr<Plateau> state);
/// plateau(std::make_shared<Plateau>(options)).
SchedulePtr plateau(PlateauOptions options);

}  // namespace regimen::schedule
