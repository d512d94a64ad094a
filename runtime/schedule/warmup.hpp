#pragma once
// Linear warmup into another schedule:
//
//   s(t) = from + (into(0) - from) * t / steps     for t < steps
//   s(t) = into(t - steps)                         for t >= steps
//
// so the ramp ends exactly where `into` starts and `into` runs its whole course after it
// (optax's join_schedules([linear_schedule(from, into(0), steps), into], [steps]); PyTorch's
// SequentialLR([LinearLR(start_factor = from / lr, total_iters = steps), into], [steps])).
// `into` is evaluated when asked, so warming up into a plateau ramps towards its current rate.
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// steps >= 0 (0: no warmup), from >= 0 (both finite), into not null.
/// describe(): "warmup(steps=100, from=0, into=cosine(lr=0.1, T_max=1000, eta_min=0))".
SchedulePtr warmup(double steps, double from, SchedulePtr into);

}  // namespace regimen::schedule
