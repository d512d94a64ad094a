#pragma once
// Hooks into the training loop. A callback implements only the hooks it needs; returning true
// from on_epoch_end asks the loop to stop after this epoch (ensmallen's convention).
#include <cstdint>
#include <string>

#include "runtime/io/byte_stream.hpp"
#include "runtime/train/metrics.hpp"

namespace regimen::train {

/// Where the run is after one optimizer step, as on_step_end sees it.
struct StepEnd {
  int epoch = 0;                   ///< 0-based
  std::int64_t step = 0;           ///< optimizer steps done in the run, this one included
  std::int64_t epoch_step = 0;     ///< steps done in this epoch, this one included
  std::int64_t epoch_steps = 0;    ///< planned steps of this epoch
  std::int64_t samples = 0;        ///< training samples seen in this epoch
  double loss = 0.0;               ///< this step's loss: mean over its rows, penalty included
};

/// Observer of a training run.
class Callback {
 public:
  virtual ~Callback() = default;
  /// After epoch `epoch` (0-based) with its metrics; true stops the run.
  virtual bool on_epoch_end(int /*epoch*/, const Metrics& /*metrics*/) { return false; }
  /// After each optimizer step; true stops the run at once (the epoch is cut short but still
  /// gets its metrics, validation and on_epoch_end). Runs every step: keep it cheap.
  virtual bool on_step_end(const StepEnd& /*step*/) { return false; }
  /// Why this callback stopped the run, once it has ("early_stop: val_accuracy ...").
  virtual std::string stop_reason() const { return {}; }
  /// After the last epoch, whatever ended the run; `stop_reason` is empty when all epochs ran.
  virtual void on_train_end(const std::string& /*stop_reason*/) {}
  /// What the callback has learned from the run so far, for a checkpoint; load() gets it back
  /// in a resumed run (before its first step) and throws DataError for bytes it cannot use.
  /// Callbacks without state write nothing.
  virtual void save(io::ByteWriter& /*out*/) const {}
  virtual void load(io::ByteReader& /*in*/) {}
};

}  // namespace regimen::train
