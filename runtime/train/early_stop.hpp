#pragma once
// Early stopping with the semantics of Keras 3's EarlyStopping callback
// (keras/src/callbacks/early_stopping.py, on_epoch_end and _is_improvement), epoch by epoch:
//
//   direction  min: better(a, b) = a < b,   best starts at +inf, min_delta <- -|min_delta|
//              max: better(a, b) = a > b,   best starts at -inf, min_delta <- +|min_delta|
//   improved(x, ref) = better(x - min_delta, ref)
//
//   observe(epoch, x):
//     if epoch < start_from_epoch: ignore it (warm-up)
//     if restore_best and nothing was snapshot yet: snapshot now, best_epoch = epoch
//     wait += 1
//     if improved(x, best):
//       best = x; best_epoch = epoch; snapshot if restore_best
//       if no baseline or improved(x, baseline): wait = 0
//       return (no stop is possible on an improving epoch)
//     if wait >= patience and epoch > 0: stop, stopped_epoch = epoch
//
// Consequences worth knowing, all Keras': the counter is bumped before the test, so patience=0
// stops at the first epoch that does not improve, patience=p after p such epochs in a row; an
// improvement that misses the baseline moves best (and the snapshot) but keeps counting, so
// with a baseline no epoch ever beats, training stops after `patience` epochs with the best of
// them restored; epoch 0 never stops; a NaN never improves. At the end of training, the
// weights to restore are the last snapshot whenever restore_best is on, stopped early or not.
//
// mode "auto" follows Keras 3's _set_monitor_op: strip a "val_" prefix; "loss" is minimized;
// other names take the direction Keras' built-in metric of that name declares (accuracy,
// auc, precision, recall... up; mean_squared_error, crossentropies... down); a name Keras
// could not decide is an error, as it is in Keras. Where Keras warns and falls back to auto
// on an unknown mode, or silently takes |min_delta|, we reject the recipe instead: a
// misspelled "mode" should not train the wrong way round.
#include <optional>
#include <string>

#include "runtime/io/byte_stream.hpp"

namespace regimen::train {

/// early_stop{...}'s options, Keras' names except restore_best (Keras: restore_best_weights).
struct EarlyStopOptions {
  std::string monitor = "val_loss";  ///< the metric name, as logged ("val_loss", "accuracy")
  std::string mode = "auto";         ///< "auto", "min" or "max"
  double min_delta = 0.0;            ///< >= 0: a smaller change is no improvement
  int patience = 0;                  ///< >= 0: epochs without improvement before stopping
  std::optional<double> baseline;    ///< the value to beat before the wait counter resets
  bool restore_best = false;         ///< restore the best epoch's weights at the end
  int start_from_epoch = 0;          ///< >= 0: epochs before this one are not monitored
};

/// What the caller does after an epoch.
struct Verdict {
  bool improved = false;  ///< the value beat the best so far by more than min_delta
  bool snapshot = false;  ///< restore_best is on and this epoch's weights are now the ones to restore
  bool stop = false;      ///< stop training after this epoch
};

/// True when `monitor` should increase: mode "max", or "auto" and a Keras metric that increases
/// (accuracy...); throws InvalidArgument for a bad mode or a name "auto" cannot decide.
bool resolve_maximize(const std::string& monitor, const std::string& mode);

/// The early-stopping rule; feed it one value per epoch.
class EarlyStop {
 public:
  /// Throws InvalidArgument naming a bad option, or when mode "auto" cannot tell the direction.
  explicit EarlyStop(EarlyStopOptions options = {});

  /// Feeds epoch `epoch`'s (0-based) value of the monitored metric.
  Verdict observe(int epoch, double value);

  const EarlyStopOptions& options() const { return options_; }
  /// True when larger values are better (mode "max", or "auto" resolved to it).
  bool maximize() const { return maximize_; }
  /// The best value so far; +inf (min) or -inf (max) before any improvement.
  double best_value() const { return best_; }
  /// The epoch of best_value(), or of the first snapshot; 0 before any.
  int best_epoch() const { return best_epoch_; }
  /// The epoch at which stop was returned; 0 if never (Keras' convention).
  int stopped_epoch() const { return stopped_epoch_; }
  /// Epochs counted since the last improvement that also beat the baseline.
  int wait() const { return wait_; }
  /// restore_best is on and some epoch's weights were snapshot: restore them at the end.
  bool should_restore() const { return options_.restore_best && has_snapshot_; }
  /// Once stopped, "early_stop: val_loss did not improve for 3 epochs (best 0.25 at epoch 4)";
  /// "" before.
  std::string stop_reason() const;
  /// One line for `regimen check`, mode resolved: "early_stop(monitor=val_loss, mode=min,
  /// min_delta=0, patience=3, baseline=none, restore_best=false, start_from_epoch=0)".
  std::string describe() const;
  /// Everything observe() has learned, for a checkpoint, and back.
  void save(io::ByteWriter& out) const;
  void load(io::ByteReader& in);

 private:
  bool is_improvement(double value, double reference) const;

  EarlyStopOptions options_;
  bool maximize_ = false;
  double signed_delta_ = 0.0;  // -min_delta when minimizing, +min_delta when maximizing
  double best_ = 0.0;
  int best_epoch_ = 0;
  int stopped_epoch_ = 0;
  int wait_ = 0;
  bool has_snapshot_ = false;
};

}  // namespace regimen::train
