#pragma once
// Where a run stands, for code that reads it while the run goes on: a Lua schedule's ctx
// (epoch, step, steps_per_epoch, total_steps, the last epoch's metrics). Whoever owns it plans
// the run (steps_per_epoch, total_steps); the trainer keeps the rest current
// (Trainer::set_progress). Plain data, no Lua.
#include <cstdint>

#include "runtime/train/metrics.hpp"

namespace regimen::train {

/// A run's position and plan.
struct Progress {
  bool running = false;              ///< true inside Trainer::fit
  int epoch = 0;                     ///< the epoch being trained, 0-based
  int epochs = 0;                    ///< planned epochs
  std::int64_t step = 0;             ///< optimizer steps done
  double steps_per_epoch = 0.0;      ///< planned steps of the first epoch (0: no run planned)
  double total_steps = 0.0;          ///< planned steps of the whole run
  Metrics metrics;                   ///< the last finished epoch's metrics; empty before
  std::uint64_t metrics_version = 0; ///< changes whenever `metrics` does
};

}  // namespace regimen::train
