#pragma once
// Inverse time decay, Keras' InverseTimeDecay (keras/src/optimizers/schedules/
// learning_rate_schedule.py):
//
//   p    = t / decay_steps            (floor(t / decay_steps) when staircase)
//   s(t) = lr / (1 + decay_rate * p)
//
// PyTorch has no scheduler of this shape (a LambdaLR would be needed).
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// lr / (1 + decay_rate * t / decay_steps), the ratio floored when `staircase`.
/// lr >= 0, decay_rate >= 0, decay_steps > 0 (all finite).
/// describe(): "inverse_time(lr=0.1, decay_rate=0.5, decay_steps=100, staircase=false)".
SchedulePtr inverse_time(double lr, double decay_rate, double decay_steps, bool staircase = false);

}  // namespace regimen::schedule
