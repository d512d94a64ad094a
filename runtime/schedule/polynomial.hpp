#pragma once
// Polynomial decay, Keras' PolynomialDecay (keras/src/optimizers/schedules/
// learning_rate_schedule.py), with total_steps for Keras' decay_steps and end_lr for its
// end_learning_rate:
//
//   without cycle:  T = total_steps,                         t' = min(t, T)
//   with cycle:     T = total_steps * max(1, ceil(t / total_steps)),  t' = t
//   s(t) = (lr - end_lr) * (1 - t' / T)^power + end_lr
//
// so without cycle it reaches end_lr at total_steps and holds it; with cycle each period is
// the first multiple of total_steps >= t, and the rate jumps back up after every multiple
// (to a lower peak each time). PyTorch's PolynomialLR(total_iters, power) is the case
// end_lr = 0 without cycle.
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// lr >= 0, total_steps > 0, power >= 0, end_lr >= 0 (all finite); end_lr > lr is allowed
/// (a polynomial ramp up).
/// describe(): "polynomial(lr=0.1, total_steps=1000, power=1, end_lr=0, cycle=false)".
SchedulePtr polynomial(double lr, double total_steps, double power = 1.0, double end_lr = 0.0,
                       bool cycle = false);

}  // namespace regimen::schedule
