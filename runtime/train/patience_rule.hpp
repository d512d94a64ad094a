#pragma once
// Keras' EarlyStopping (early_stop.hpp) as one rule of a composed early stop, on an optionally
// smoothed metric: stops after `patience` epochs without improvement.
#include "runtime/train/early_stop.hpp"
#include "runtime/train/smoothed_metric.hpp"
#include "runtime/train/stop_rule.hpp"

namespace regimen::train {

/// {monitor, patience, min_delta, mode, baseline, restore_best, start_from_epoch, smoothing}.
class PatienceRule final : public StopRule {
 public:
  /// Throws InvalidArgument for a bad option (EarlyStop's checks, smoothing >= 1).
  explicit PatienceRule(EarlyStopOptions options, int smoothing = 1);

  bool observe_epoch(int epoch, const Metrics& metrics) override;
  /// "val_loss did not improve for 5 epochs at epoch 9 (best 0.25 at epoch 4)".
  std::string reason() const override;
  std::string describe() const override;
  std::string monitor() const override { return rule_.options().monitor; }
  bool restores_best() const override { return rule_.options().restore_best; }
  bool snapshot() const override { return snapshot_; }
  bool should_restore() const override { return rule_.should_restore(); }

  void save(io::ByteWriter& out) const override;
  void load(io::ByteReader& in) override;

 private:
  EarlyStop rule_;
  SmoothedMetric value_;
  bool snapshot_ = false;
};

}  // namespace regimen::train
