#pragma once
// Stops once a metric reaches a target: val_accuracy >= 0.9 (a metric that increases) or
// val_loss <= 0.1 (one that decreases). The direction comes from the name as early_stop's
// mode "auto" reads it, or is given.
#include <string>

#include "runtime/train/smoothed_metric.hpp"
#include "runtime/train/stop_rule.hpp"

namespace regimen::train {

/// {monitor, target, mode = "auto", smoothing = 1, start_from_epoch = 0}.
class TargetRule final : public StopRule {
 public:
  /// Throws InvalidArgument for a non-finite target, a bad mode or smoothing.
  TargetRule(std::string monitor, double target, std::string mode = "auto", int smoothing = 1,
             int start_from_epoch = 0);

  bool observe_epoch(int epoch, const Metrics& metrics) override;
  /// "val_accuracy reached 0.9 target at epoch 7".
  std::string reason() const override;
  std::string describe() const override;
  std::string monitor() const override { return value_.name(); }

  void save(io::ByteWriter& out) const override;
  void load(io::ByteReader& in) override;

 private:
  SmoothedMetric value_;
  double target_;
  bool maximize_;
  int start_from_epoch_;
  int fired_epoch_ = -1;
};

}  // namespace regimen::train
