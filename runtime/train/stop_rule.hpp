#pragma once
// One rule of a composed early stop (early_stop = { {...}, {...} }): each watches the run and
// says when to stop; StopRules asks them in order and the first that fires ends the run.
// Epochs in reasons are 1-based, as the per-epoch lines print them ("epoch 7/20").
#include <cstdint>
#include <string>

#include "runtime/io/byte_stream.hpp"
#include "runtime/train/metrics.hpp"

namespace regimen::train {

/// A condition that ends training.
class StopRule {
 public:
  virtual ~StopRule() = default;
  /// Called once when training starts (a clock starts here).
  virtual void start() {}
  /// Epoch `epoch`'s (0-based) metrics; true stops the run after this epoch.
  virtual bool observe_epoch(int epoch, const Metrics& metrics) = 0;
  /// After optimizer step `step` (1-based, counted over the run) of epoch `epoch`; true stops
  /// the run at once (the epoch is cut short). Must be cheap: it runs every step.
  virtual bool observe_step(int /*epoch*/, std::int64_t /*step*/) { return false; }
  /// Once fired: "val_accuracy reached 0.9 target at epoch 7".
  virtual std::string reason() const = 0;
  /// One line for `regimen check`.
  virtual std::string describe() const = 0;
  /// The metric watched, or "" (checked against the run's metric names before training).
  virtual std::string monitor() const { return {}; }
  /// It may restore weights (restore_best): at most one rule of a run may.
  virtual bool restores_best() const { return false; }
  /// The last observe_epoch made this epoch's weights the ones to restore at the end.
  virtual bool snapshot() const { return false; }
  /// Restore the snapshot at the end of training.
  virtual bool should_restore() const { return false; }
  /// The rule's state for a checkpoint (counters, best values, windows), and back.
  virtual void save(io::ByteWriter& /*out*/) const {}
  virtual void load(io::ByteReader& /*in*/) {}
};

}  // namespace regimen::train
