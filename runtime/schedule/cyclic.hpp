#pragma once
// Cyclical learning rates (Smith, "Cyclical Learning Rates for Training Neural Networks",
// WACV 2017), PyTorch's CyclicLR for the learning rate (its momentum cycling is not part of
// this schedule). With total = step_size_up + step_size_down and r = step_size_up / total:
//
//   cycle = floor(1 + t / total),  x = 1 + t / total - cycle
//   h     = x / r                       when x <= r   (rising)
//           (x - 1) / (r - 1)           otherwise     (falling)
//   s(t)  = base_lr + (max_lr - base_lr) * h * scale
//   scale = 1 (triangular), 1 / 2^(cycle - 1) (triangular2), gamma^t (exp_range)
//
// PyTorch evaluates this closed form at every step, so the values agree to the last bits.
#include <optional>
#include <string>

#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// PyTorch's names and defaults; step_size_down defaults to step_size_up.
struct CyclicOptions {
  double base_lr = 0.0;
  double max_lr = 0.0;
  double step_size_up = 2000.0;
  std::optional<double> step_size_down;
  std::string mode = "triangular";
  double gamma = 1.0;
};

/// base_lr >= 0, max_lr >= 0, step sizes > 0, mode "triangular", "triangular2" or
/// "exp_range", gamma > 0 (all finite).
/// describe(): "cyclic(base_lr=0.001, max_lr=0.1, step_size_up=2000, step_size_down=2000,
/// mode=triangular, gamma=1)".
SchedulePtr cyclic(const CyclicOptions& options);

}  // namespace regimen::schedule
