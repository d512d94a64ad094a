#pragma once
// The 1cycle policy (Smith & Topin, "Super-Convergence", 2017), PyTorch's OneCycleLR for the
// learning rate (its momentum cycling is not part of this schedule). With
// initial = max_lr / div_factor and min = initial / final_div_factor, the phases end at
//
//   two phases:    e1 = pct_start * total_steps - 1  (initial -> max_lr),
//                  e2 = total_steps - 1               (max_lr  -> min)
//   three_phase:   e1 as above                        (initial -> max_lr),
//                  e2 = 2 * pct_start * total_steps - 2  (max_lr -> initial),
//                  e3 = total_steps - 1               (initial -> min)
//
// and step t in the phase (a, e] (the first from 0) is anneal(start, end, (t - a) / (e - a)),
// anneal = "cos":    end + (start - end) / 2 * (1 + cos(pi * pct))
//          "linear": start + (end - start) * pct
// exactly as PyTorch computes it. Differences: PyTorch raises past total_steps (and at
// t = total_steps extrapolates the last phase beyond its end); here the rate holds min from
// total_steps - 1 on. A phase of zero length (PyTorch divides by zero) is at its end value.
#include <string>

#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// PyTorch's names and defaults (anneal for anneal_strategy).
struct OneCycleOptions {
  double max_lr = 0.0;
  double total_steps = 0.0;
  double pct_start = 0.3;
  std::string anneal = "cos";
  double div_factor = 25.0;
  double final_div_factor = 1e4;
  bool three_phase = false;
};

/// max_lr >= 0, total_steps a whole number > 0, pct_start in [0, 1] (<= 0.5 with
/// three_phase), anneal "cos" or "linear", div_factor > 0, final_div_factor > 0.
/// describe(): "one_cycle(max_lr=0.1, total_steps=1000, pct_start=0.3, anneal=cos,
/// div_factor=25, final_div_factor=10000, three_phase=false)".
SchedulePtr one_cycle(const OneCycleOptions& options);

}  // namespace regimen::schedule
