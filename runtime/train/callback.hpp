#pragma once
// Hooks into the training loop. A callback implements only the hooks it needs; returning true
// from on_epoch_end asks the loop to stop after this epoch (ensmallen's convention).
#include <string>

#include "runtime/train/metrics.hpp"

namespace regimen::train {

/// Observer of a training run.
class Callback {
 public:
  virtual ~Callback() = default;
  /// After epoch `epoch` (0-based) with its metrics; true stops the run.
  virtual bool on_epoch_end(int /*epoch*/, const Metrics& /*metrics*/) { return false; }
  /// Why this callback stopped the run, once it has ("early_stop: val_accuracy ...").
  virtual std::string stop_reason() const { return {}; }
  /// After the last epoch, whatever ended the run; `stop_reason` is empty when all epochs ran.
  virtual void on_train_end(const std::string& /*stop_reason*/) {}
};

}  // namespace regimen::train
