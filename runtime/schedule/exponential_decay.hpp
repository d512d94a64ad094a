#pragma once
// Exponential decay, Keras' ExponentialDecay (keras/src/optimizers/schedules/
// learning_rate_schedule.py):
//
//   p    = t / decay_steps            (floor(t / decay_steps) when staircase)
//   s(t) = lr * decay_rate^p
//
// Keras names the first argument initial_learning_rate; here it is lr, as everywhere.
// With staircase the rate drops by decay_rate once every decay_steps steps, otherwise
// it decays smoothly and equals lr*decay_rate exactly at t = decay_steps.
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// lr * decay_rate^(t / decay_steps), the exponent floored when `staircase`.
/// lr >= 0, decay_rate > 0, decay_steps > 0 (all finite).
/// describe(): "exponential_decay(lr=0.1, decay_rate=0.96, decay_steps=1000, staircase=false)".
SchedulePtr exponential_decay(double lr, double decay_rate, double decay_steps,
                              bool staircase = false);

}  // namespace regimen::schedule
