#pragma once
// Stops a run whose metric blows up: when the value exceeds k times the best (lowest) value so
// far, or is not finite. Meant for losses (metrics that decrease and stay positive); with a best
// of 0 any positive value diverges.
#include <string>

#include "runtime/train/smoothed_metric.hpp"
#include "runtime/train/stop_rule.hpp"

namespace regimen::train {

/// {monitor, divergence = k, smoothing = 1}.
class DivergenceRule final : public StopRule {
 public:
  /// `factor` >= 1 and finite; throws InvalidArgument otherwise.
  DivergenceRule(std::string monitor, double factor, int smoothing = 1);

  bool observe_epoch(int epoch, const Metrics& metrics) override;
  /// "loss diverged at epoch 4: 12.5 > 10 x best 0.8" or "loss diverged at epoch 4: nan".
  std::string reason() const override;
  std::string describe() const override;
  std::string monitor() const override { return value_.name(); }

  void save(io::ByteWriter& out) const override;
  void load(io::ByteReader& in) override;

 private:
  SmoothedMetric value_;
  double factor_;
  double best_;
  int fired_epoch_ = -1;
  double fired_value_ = 0.0;
};

}  // namespace regimen::train
