#pragma once
// Cosine annealing (Loshchilov & Hutter, "SGDR", ICLR 2017, eq. 5, one cycle without
// restarts), PyTorch's CosineAnnealingLR in closed form (CosineAnnealingLR._get_closed_form_lr):
//
//   s(t) = eta_min + (lr - eta_min) * (1 + cos(pi * t / T_max)) / 2     for t <= T_max
//   s(t) = eta_min                                                      for t >  T_max
//
// The second line is ours: PyTorch's formula is periodic and climbs back to lr over
// [T_max, 2*T_max], which no recipe that says "anneal over T_max steps" means. Up to T_max
// the values match PyTorch's (its recursive form drifts from this closed form by ~1e-15).
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// Half a cosine from lr at t = 0 down to eta_min at t = T_max, then eta_min.
/// lr >= 0, T_max > 0, eta_min >= 0 (all finite).
/// describe(): "cosine(lr=0.001, T_max=100, eta_min=0)".
SchedulePtr cosine(double lr, double T_max, double eta_min = 0.0);

}  // namespace regimen::schedule
